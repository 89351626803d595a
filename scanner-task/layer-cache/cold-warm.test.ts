// Every benchmark image (bench:scan's, as an OCI layout and a docker-archive, and bench:hostile's)
// scanned three ways: without a cache, cold into an empty one, and warm from it. The three results
// are the same; the warm scan reads no layer; an image that is refused is refused alike, every time.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureHostileFixture, HOSTILE_FIXTURES } from '../../bench/hostile-fixtures.ts';
import { benchImage, ensureBenchImage } from '../../bench/scan-image.ts';
import { runScan } from '../engine/run-scan.ts';
import { toEnvelope } from '../report/envelope.ts';
import { DirectoryLayerCache } from './directory-store.ts';

interface Outcome {
  result: unknown;
  read: number;
  cached: number;
}

async function scan(source: string, cache?: DirectoryLayerCache): Promise<Outcome> {
  let read = 0;
  let cached = 0;
  const result = await runScan(source, {
    ...(cache ? { layerCache: cache } : {}),
    onProgress: (message) => {
      if (/^layer \d+\/\d+ read/.test(message)) read++;
      if (/^layer \d+\/\d+ from the layer cache/.test(message)) cached++;
    },
  }).then(
    (report) => {
      // The same image at another time: only the scan's id, clock and duration differ.
      const { scan: _scan, scanners, ...rest } = toEnvelope(report, 'scn-cold-warm');
      return {
        ...rest,
        scanners: scanners.map(({ durationMs: _ms, ...scanner }) => scanner),
        layerScans: report.scan.layers.map((l) => ({ ...l, entries: [...l.entries] })),
      };
    },
    (error: Error) => ({ refused: error.constructor.name, message: error.message }),
  );
  return { result, read, cached };
}

const sources: Array<[string, () => Promise<string>]> = [
  ['the benchmark image (OCI layout)', async () => `oci:${(await ensureBenchImage()).oci}:${benchImage.tag}`],
  ['the benchmark image (docker-archive)', async () => `docker-archive:${(await ensureBenchImage()).dockerArchive}`],
  ...HOSTILE_FIXTURES.map((fixture): [string, () => Promise<string>] => [`${fixture.name} (bench:hostile)`, () => ensureHostileFixture(fixture)]),
];

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hg-cold-warm-'));
});

describe.each(sources)('%s', (_name, sourceOf) => {
  it('gives the same result without a cache, cold and warm', { timeout: 300_000 }, async () => {
    const source = await sourceOf();
    const cache = new DirectoryLayerCache(await mkdtemp(join(work, 'cache-')));
    const none = await scan(source);
    const cold = await scan(source, cache);
    const warm = await scan(source, cache);
    expect(cold.result).toEqual(none.result);
    expect(warm.result).toEqual(none.result);
    expect(cold.cached).toBe(0);
    if ('refused' in (none.result as object)) {
      // A refused layer is never stored: the warm scan reads it again and refuses it again.
      expect(warm.read).toBe(cold.read);
    } else {
      expect(cold.read).toBeGreaterThan(0);
      expect(warm).toMatchObject({ read: 0, cached: cold.read });
    }
  });
});
