// The hostile images of bench:hostile, listed once: the benchmark scans them, and the layer-cache
// test (scanner-task/layer-cache/cold-warm.test.ts) checks a warm scan of each against a cold one.
// Built once into .cache/bench-hostile-v1/.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  deepPathLayers,
  dpkgStatus,
  gzipBomb,
  gzippedLayer,
  longPathEntries,
  writeLayoutOfLayers,
  type LayerBlob,
} from '../scanner-task/testing/hostile-images.ts';

const CACHE = resolve(import.meta.dirname, '..', '.cache', 'bench-hostile-v1');

export interface HostileFixture {
  name: string;
  description: string;
  build: () => Promise<LayerBlob[]>;
}

export const HOSTILE_FIXTURES: HostileFixture[] = [
  {
    name: 'long-paths',
    description: '5,000 entries with ~500 KB PAX paths (one layer)',
    build: async () => [await gzippedLayer(longPathEntries(5_000, 500_000))],
  },
  {
    name: 'deep-paths',
    description: '5,000 files 2,000 directories deep (~4,000-character paths, under the cap) + a layer of 2,500 whiteouts and an opaque directory',
    build: async () => Promise.all(deepPathLayers(5_000, 1_990).map((entries) => gzippedLayer(entries))),
  },
  {
    name: 'dpkg-300k',
    description: 'a dpkg status of 300,000 installed packages (22 MB)',
    build: async () => [
      await gzippedLayer([
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' },
        { name: 'var/lib/dpkg/status', content: dpkgStatus(300_000) },
      ]),
    ],
  },
  {
    name: 'dpkg-200k',
    description: 'a dpkg status of 200,000 installed packages (15 MB): the most an envelope holds, for scale',
    build: async () => [
      await gzippedLayer([
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' },
        { name: 'var/lib/dpkg/status', content: dpkgStatus(200_000) },
      ]),
    ],
  },
  {
    name: 'gzip-bomb',
    description: 'one layer of 8 MB that inflates to 8 GiB (a file of zeros)',
    build: async () => [gzipBomb(8 * 1024 ** 3)],
  },
];

export async function ensureHostileFixture(fixture: HostileFixture): Promise<string> {
  const dir = join(CACHE, fixture.name);
  const source = `oci:${dir}:hostile`;
  if (existsSync(join(dir, 'done'))) return source;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`building ${fixture.name}…\n`);
  writeLayoutOfLayers(dir, await fixture.build());
  writeFileSync(join(dir, 'done'), '');
  return source;
}
