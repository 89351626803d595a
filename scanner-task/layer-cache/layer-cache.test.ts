// The layer cache's promises, on small images written in-process: a warm scan reads nothing it
// has seen; a cataloger's new version re-reads only the layers with files it wants; a corrupted or
// misplaced entry is ignored (and replaced); a name is never taken from what an image merely claims.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogers } from '../catalogers/index.ts';
import type { Cataloger } from '../catalogers/cataloger.ts';
import { runScan } from '../engine/run-scan.ts';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';
import { toEnvelope } from '../report/envelope.ts';
import { writeOciLayout, type TestEntry, type TestImage } from '../testing/build-image.ts';
import { startHostileRegistry, type HostileRegistry } from '../testing/hostile-registry.ts';
import { DirectoryLayerCache } from './directory-store.ts';

const OS: TestEntry[] = [
  { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' },
  { name: 'var/lib/dpkg/status', content: 'Package: libc6\nStatus: install ok installed\nVersion: 2.36-9\nArchitecture: amd64\n\n' },
  { name: 'usr/bin/env', content: 'ELF?' },
  { name: 'usr/bin/sh', type: 'symlink', linkname: 'dash' },
  { name: 'usr/bin/sh2', type: 'link', linkname: 'usr/bin/env' },
];
const NPM: TestEntry[] = [{ name: 'app/node_modules/left-pad/package.json', content: '{"name":"left-pad","version":"1.3.0","license":"MIT"}' }];
const APP = (marker: string): TestEntry[] => [{ name: 'app/server.js', content: `console.log(${JSON.stringify(marker)})` }, { name: 'app/.wh.old.js' }];

interface Observed {
  envelope: ReturnType<typeof normalised>;
  read: number;
  cached: number;
}

/** The envelope without what differs between any two runs (ids and clocks). */
function normalised(report: Awaited<ReturnType<typeof runScan>>) {
  const { scan: _scan, scanners, ...rest } = toEnvelope(report, 'scn-test');
  return { ...rest, scanners: scanners.map(({ durationMs: _ms, ...scanner }) => scanner) };
}

async function scan(source: string, cache: DirectoryLayerCache | undefined, options: { catalogers?: readonly Cataloger[] } = {}): Promise<Observed> {
  let read = 0;
  let cached = 0;
  const report = await runScan(source, {
    ...(cache ? { layerCache: cache } : {}),
    ...options,
    onProgress: (message) => {
      if (/^layer \d+\/\d+ read/.test(message)) read++;
      if (/^layer \d+\/\d+ from the layer cache/.test(message)) cached++;
    },
  });
  return { envelope: normalised(report), read, cached };
}

let work: string;
const image = (layers: TestEntry[][], extra: Partial<TestImage> = {}) => ({ layers, ...extra });
const layout = async (name: string, value: TestImage) => writeOciLayout(join(work, name), value);
const freshCache = async () => new DirectoryLayerCache(await mkdtemp(join(work, 'cache-')));
const entryFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'hg-layer-cache-'));
});

describe('a warm scan', () => {
  it('reads only the layer it has not seen, with the result of a scan without a cache', async () => {
    const cache = await freshCache();
    const first = await layout('first', image([OS, NPM, APP('one')]));
    const second = await layout('second', image([OS, NPM, APP('two')]));
    expect(await scan(first, cache)).toMatchObject({ read: 3, cached: 0 });
    const warm = await scan(second, cache);
    expect(warm).toMatchObject({ read: 1, cached: 2 });
    expect(warm.envelope).toEqual((await scan(second, undefined)).envelope);
    expect(await scan(second, cache)).toMatchObject({ read: 0, cached: 3 });
  });

  it('keeps layers read under other limits apart', async () => {
    const cache = await freshCache();
    const source = await layout('limits', image([OS, NPM]));
    await scan(source, cache);
    const report = await runScan(source, { layerCache: cache, limits: { maxEntries: 4 } }).then(
      () => 'complete',
      (error: Error) => error.message,
    );
    expect(report).toMatch(/more than 4 entries/);
  });
});

describe('a cataloger with a new version', () => {
  it('re-reads the layers with files it wants, and only those', async () => {
    const cache = await freshCache();
    const source = await layout('bump', image([OS, NPM, APP('x')]));
    await scan(source, cache);
    const bumped = catalogers.map((c) => (c.name === 'npm' ? { ...c, version: c.version + 1 } : c));
    const after = await scan(source, cache, { catalogers: bumped });
    expect(after).toMatchObject({ read: 1, cached: 2 });
    expect(after.envelope).toEqual((await scan(source, undefined)).envelope);
    // The bump is recorded in the entries it did not invalidate, and the re-read layer is stored again.
    expect(await scan(source, cache, { catalogers: bumped })).toMatchObject({ read: 0, cached: 3 });
    // And the old version, met again, is a change like any other.
    expect(await scan(source, cache)).toMatchObject({ read: 1, cached: 2 });
  });

  it('re-reads a layer that held a path twice, whatever the path', async () => {
    const cache = await freshCache();
    const twice: TestEntry[] = [
      { name: 'app/node_modules/a/package.json', content: '{"name":"a","version":"1.0.0"}' },
      { name: 'app/node_modules/a/package.json', type: 'symlink', linkname: 'elsewhere' },
    ];
    const source = await layout('twice', image([OS, twice]));
    await scan(source, cache);
    const bumped = catalogers.map((c) => (c.name === 'npm' ? { ...c, version: c.version + 1 } : c));
    expect(await scan(source, cache, { catalogers: bumped })).toMatchObject({ read: 1, cached: 1 });
  });

  it('counts a cataloger that is new as changed, and one that no longer runs only where it found something', async () => {
    const cache = await freshCache();
    const source = await layout('subset', image([OS, NPM]));
    const withoutNpm = catalogers.filter((c) => c.name !== 'npm');
    expect(await scan(source, cache, { catalogers: withoutNpm })).toMatchObject({ read: 2 });
    expect(await scan(source, cache)).toMatchObject({ read: 1, cached: 1 });
    const result = await scan(source, cache, { catalogers: withoutNpm });
    expect(result).toMatchObject({ read: 1, cached: 1 });
    expect(result.envelope).toEqual((await scan(source, undefined, { catalogers: withoutNpm })).envelope);
  });
});

describe('entries that cannot be trusted', () => {
  it('ignores a corrupted entry, reads the layer and stores it again', async () => {
    const dir = await mkdtemp(join(work, 'corrupt-'));
    const cache = new DirectoryLayerCache(dir);
    const source = await layout('corrupt', image([OS]));
    const cold = await scan(source, cache);
    const [file] = entryFiles(dir);
    const bytes = readFileSync(file!);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(file!, bytes);
    const after = await scan(source, cache);
    expect(after).toMatchObject({ read: 1, cached: 0 });
    expect(after.envelope).toEqual(cold.envelope);
    expect(await scan(source, cache)).toMatchObject({ read: 0, cached: 1 });
    writeFileSync(file!, bytes.subarray(0, 50));
    expect(await scan(source, cache)).toMatchObject({ read: 1, cached: 0 });
  });

  it('ignores an intact entry stored under another key', async () => {
    const dir = await mkdtemp(join(work, 'moved-'));
    const cache = new DirectoryLayerCache(dir);
    const osOnly = await layout('moved-a', image([OS]));
    const npmOnly = await layout('moved-b', image([NPM]));
    await scan(osOnly, cache);
    await scan(npmOnly, cache);
    const [a, b] = entryFiles(dir);
    // Swap the two entries' names: each is intact, but written for the other layer.
    renameSync(a!, `${a}.swap`);
    renameSync(b!, a!);
    renameSync(`${a}.swap`, b!);
    expect(await scan(osOnly, cache)).toMatchObject({ read: 1, cached: 0 });
  });

  it('never names a local layer by its descriptor without hashing it: a blob that lies is refused as without a cache', async () => {
    const cache = await freshCache();
    const honest = await layout('honest', image([OS]));
    await scan(honest, cache);
    // Another layout whose manifest names the honest layer (digest and size) while its blob under that name holds other bytes.
    const liar = await layout('liar', image([NPM]));
    const blobs = join(work, 'liar', 'blobs', 'sha256');
    const indexFile = join(work, 'liar', 'index.json');
    const index = JSON.parse(readFileSync(indexFile, 'utf8')) as { manifests: Array<{ digest: string; size: number }> };
    const manifestOf = (dir: string, digest: string) =>
      JSON.parse(readFileSync(join(dir, 'blobs', 'sha256', digest.slice(7)), 'utf8')) as { layers: Array<{ digest: string; size: number }> };
    const honestIndex = JSON.parse(readFileSync(join(work, 'honest', 'index.json'), 'utf8')) as typeof index;
    const honestLayer = manifestOf(join(work, 'honest'), honestIndex.manifests[0]!.digest).layers[0]!;
    const manifest = manifestOf(join(work, 'liar'), index.manifests[0]!.digest);
    renameSync(join(blobs, manifest.layers[0]!.digest.slice(7)), join(blobs, honestLayer.digest.slice(7)));
    manifest.layers[0] = { ...manifest.layers[0]!, digest: honestLayer.digest, size: honestLayer.size };
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(join(blobs, digest), bytes);
    index.manifests[0] = { ...index.manifests[0]!, digest: `sha256:${digest}`, size: bytes.length };
    writeFileSync(indexFile, JSON.stringify(index));
    const outcome = await runScan(liar, { layerCache: cache }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(outcome).toBeInstanceOf(ImageIntegrityError);
  });

  it("takes no name from a config's diffIDs: two images claiming the same diffID for different layers keep their own results", async () => {
    const cache = await freshCache();
    const claimed = { rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } };
    const a = await layout('claim-a', image([OS], { config: claimed }));
    const b = await layout('claim-b', image([NPM], { config: claimed }));
    await scan(a, cache);
    const warm = await scan(b, cache);
    expect(warm).toMatchObject({ read: 1, cached: 0 });
    expect(warm.envelope).toEqual((await scan(b, undefined)).envelope);
  });
});

describe('a registry image', () => {
  let registry: HostileRegistry;
  beforeAll(async () => {
    registry = await startHostileRegistry();
  });
  afterAll(async () => registry?.stop());

  it('is named by the digest it is fetched by: a warm scan fetches the manifest and config, no layer', async () => {
    const cache = await freshCache();
    const source = `${registry.host}/example/app:1`;
    const options = { layerCache: cache, insecure: true };
    const cold = await runScan(source, options);
    const blobFetches = () => registry.requests.filter((r) => r.path.endsWith(`/blobs/${registry.image.layerDigest}`)).length;
    const before = blobFetches();
    expect(before).toBeGreaterThan(0);
    const warm = await runScan(source, options);
    expect(blobFetches()).toBe(before);
    expect(normalised(warm)).toEqual(normalised(cold));
  });
});
