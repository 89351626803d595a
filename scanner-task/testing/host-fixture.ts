// The real-data fixture: a 3-layer image made from this machine's own Debian installation
// (dpkg database, Python metadata), the repository's node_modules, Debian's jars and a Go binary,
// packed by umoci and converted by skopeo. Built once into .cache/ and reused by every test file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(here, '../..');
export const FIXTURE = join(REPO, '.cache', 'scanner-fixtures', 'host-v3');

export const hostFixture = {
  roots: join(FIXTURE, 'roots'),
  oci: join(FIXTURE, 'oci'),
  ociZstd: join(FIXTURE, 'oci-zstd'),
  ociArchive: join(FIXTURE, 'app-oci.tar'),
  dockerArchive: join(FIXTURE, 'app-docker.tar'),
  docker25Archive: join(FIXTURE, 'app-docker25.tar'),
  dpkgOracle: join(FIXTURE, 'oracle', 'dpkg.tsv'),
  npmOracle: join(FIXTURE, 'oracle', 'npm.json'),
  goOracle: join(FIXTURE, 'oracle', 'go-version-m.txt'),
};

export const HOST_FIXTURE_TOOLS = ['umoci', 'skopeo', 'dpkg-query', 'npm', 'go', 'unzip', 'flock'];

/** Builds the fixture unless it is there; parallel test files wait on one lock and build it once. */
export function ensureHostFixture(): typeof hostFixture {
  if (existsSync(join(FIXTURE, 'done'))) return hostFixture;
  mkdirSync(dirname(FIXTURE), { recursive: true });
  execFileSync('flock', [`${FIXTURE}.lock`, process.execPath, '--import', 'tsx', join(here, 'build-host-fixture.ts')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    cwd: REPO,
  });
  return hostFixture;
}
