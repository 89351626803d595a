// A two-layer Debian image around Debian's python3-requests as dpkg installed it on this machine:
// layer 1 holds the real dpkg database (status and every info/*.list) and the package's own files
// (its egg-info included); layer 2 a pip-style copy of the same metadata under /usr/local, which
// no package manager owns. Written in-process (build-image.ts), so it needs no image tool.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeOciLayout, type TestEntry } from './build-image.ts';
import { oraclesRequired } from './tools.ts';

const DPKG = '/var/lib/dpkg';
const LIST = join(DPKG, 'info', 'python3-requests.list');

/** Why the image cannot be built here, or undefined; throws in CI, where it must be buildable. */
export function debianRequestsMissing(): string | undefined {
  if (existsSync(LIST)) return undefined;
  const reason = 'needs the Debian package python3-requests installed (.ci/apt-packages.txt)';
  if (oraclesRequired) throw new Error(`HG_REQUIRE_ORACLES=1 but this test ${reason}`);
  return reason;
}

export interface DebianRequestsImage {
  source: string;
  /** requests' upstream version, as its egg-info names it. */
  version: string;
  /** Where each copy's metadata is, relative to the image root. */
  debianMetadata: string;
  pipMetadata: string;
}

export async function writeDebianRequestsImage(dir: string): Promise<DebianRequestsImage> {
  const listed = readFileSync(LIST, 'utf8')
    .split('\n')
    .filter((path) => path && statSync(path, { throwIfNoEntry: false })?.isFile());
  const pkgInfo = listed.find((path) => /\/requests-[^/]+\.egg-info\/PKG-INFO$/.test(path));
  if (!pkgInfo) throw new Error(`${LIST} names no requests egg-info`);
  const version = /requests-([^/]+)\.egg-info/.exec(pkgInfo)![1]!;
  const file = (path: string): TestEntry => ({ name: path.replace(/^\//, ''), content: readFileSync(path) });
  const osRelease = readFileSync('/usr/lib/os-release');
  const base: TestEntry[] = [
    { name: 'etc/os-release', content: osRelease },
    { name: 'usr/lib/os-release', content: osRelease },
    file(join(DPKG, 'status')),
    ...readdirSync(join(DPKG, 'info'))
      .filter((f) => f.endsWith('.list'))
      .map((f) => file(join(DPKG, 'info', f))),
    ...listed.map(file),
  ];
  const pipMetadata = `usr/local/lib/python3.11/site-packages/requests-${version}.dist-info/METADATA`;
  const source = await writeOciLayout(dir, { layers: [base, [{ name: pipMetadata, content: readFileSync(pkgInfo) }]] });
  return { source, version, debianMetadata: pkgInfo.slice(1), pipMetadata };
}
