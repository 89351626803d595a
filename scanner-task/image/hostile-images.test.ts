// Hostile images, generated in-process: the engine must never follow anything outside the image,
// keep memory bounded, and end with a clear error or a complete result.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseJavaArchive } from '../catalogers/java/parse-archive.ts';
import { scanImage } from '../engine/scan-image.ts';
import { tarOf, writeOciLayout, type TestEntry, type TestImage } from '../testing/build-image.ts';
import {
  deepPathLayers,
  dpkgStatus,
  gnuLongNameTar,
  gzipBomb,
  gzippedLayer,
  longPathEntries,
  writeLayoutOfLayers,
  type LayerBlob,
} from '../testing/hostile-images.ts';
import { failureCodeOf } from '../task/failure-code.ts';
import { ImageIntegrityError, ImageTooLargeError } from '#shared/registry/image-errors.ts';
import { openImage } from './open-image.ts';
import { parsePax } from './tar-header.ts';

const layout = (image: TestImage): Promise<string> => writeOciLayout(mkdtempSync(join(tmpdir(), 'hg-hostile-')), image);
const scan = async (image: TestImage, limits = {}) => scanImage(await openImage(await layout(image)), { limits });
const STATUS = 'Package: evil\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n';
const scanLayers = async (layers: LayerBlob[], limits = {}) =>
  scanImage(await openImage(writeLayoutOfLayers(mkdtempSync(join(tmpdir(), 'hg-hostile-')), layers)), { limits });
/** The scan's refusal, or a failure of the test when the scan completed. */
const refusal = async (scanning: Promise<unknown>): Promise<Error> =>
  scanning.then(
    () => expect.fail('the scan completed'),
    (error: Error) => error,
  );

describe('hostile images', () => {
  it('confines absolute and ".." paths to the image root', async () => {
    const result = await scan({
      layers: [
        [
          { name: '/etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' },
          { name: '../../../../var/lib/dpkg/status', content: STATUS },
          { name: 'a/../../../b/c', content: 'x' },
          { name: '../../.wh.tmp', content: '' },
        ],
      ],
    });
    expect([...result.filesystem.files.keys()].sort()).toEqual(['b/c', 'etc/os-release', 'var/lib/dpkg/status']);
    expect(result.os?.id).toBe('debian');
    expect(result.packages.map((p) => p.name)).toEqual(['evil']);
  });

  it('never follows symlinks or hardlinks, wherever they point', async () => {
    const result = await scan({
      layers: [
        [
          { name: 'etc/os-release', type: 'symlink', linkname: '/etc/os-release' },
          { name: 'usr/lib/os-release', type: 'symlink', linkname: '../../../../../../etc/os-release' },
          { name: 'var/lib/dpkg/status', type: 'link', linkname: '../../../../etc/passwd' },
          { name: 'app/node_modules/x/package.json', type: 'symlink', linkname: '/work/main/package.json' },
        ],
      ],
    });
    expect(result.os).toBeUndefined();
    expect(result.packages).toEqual([]);
    expect(result.filesystem.files.get('etc/os-release')).toMatchObject({ type: 'symlink', linkname: '/etc/os-release' });
  });

  it('reports what a hard link within the layer shares with its target, read once', async () => {
    const result = await scan({
      layers: [
        [
          { name: 'app/node_modules/a/package.json', content: JSON.stringify({ name: 'a', version: '1.0.0' }) },
          { name: 'other/node_modules/a/package.json', type: 'link', linkname: 'app/node_modules/a/package.json' },
        ],
      ],
    });
    expect(result.packages.map((p) => p.location).sort()).toEqual(['app/node_modules/a/package.json', 'other/node_modules/a/package.json']);
  });

  it('records device nodes and FIFOs without reading them', async () => {
    const result = await scan({
      layers: [
        [
          { name: 'dev/null', type: 'character-device', mode: 0o666 },
          { name: 'dev/sda', type: 'block-device' },
          { name: 'var/lib/dpkg/status', type: 'fifo' },
        ],
      ],
    });
    expect(result.filesystem.files.get('dev/sda')?.type).toBe('other');
    expect(result.packages).toEqual([]);
  });

  it("skips files above a cataloger's size cap, with a warning, in bounded memory", async () => {
    const source = await layout({
      layers: [
        [
          { name: 'var/lib/dpkg/status', content: Buffer.alloc(96 * 1024 * 1024) },
          { name: 'etc/os-release', content: 'ID=debian\n' },
        ],
      ],
    });
    const before = process.memoryUsage().rss;
    const result = await scanImage(await openImage(source));
    expect(result.warnings.join('\n')).toMatch(/var\/lib\/dpkg\/status: 100663296 bytes, above dpkg's 67108864-byte limit; skipped/);
    expect(result.os?.id).toBe('debian');
    // The 96 MB body streamed past; nothing near its size stayed resident.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * 1024 * 1024);
  });

  it('stops a decompression bomb at the layer limit with a clear error', async () => {
    const source = await layout({ layers: [[{ name: 'zeros', content: Buffer.alloc(64 * 1024 * 1024) }]] });
    await expect(scanImage(await openImage(source), { limits: { maxUncompressedBytes: 16 * 1024 * 1024 } })).rejects.toThrow(/exceeds the 16777216-byte limit/);
  });

  it('stops layers with absurd numbers of entries, whiteouts and names included', async () => {
    const entries: TestEntry[] = Array.from({ length: 500 }, (_, i) => ({ name: `f/${i}`, content: '' }));
    await expect(scan({ layers: [entries] }, { maxEntries: 100 })).rejects.toThrow(/more than 100 entries/);
    const whiteouts: TestEntry[] = Array.from({ length: 500 }, (_, i) => ({ name: `f/.wh.${i}`, content: '' }));
    await expect(scan({ layers: [whiteouts] }, { maxEntries: 100 })).rejects.toThrow(ImageTooLargeError);
    const named: TestEntry[] = Array.from({ length: 100 }, (_, i) => ({ name: `${i}/${'n'.repeat(200)}`, content: '' }));
    await expect(scan({ layers: [named] }, { maxNameChars: 10_000 })).rejects.toThrow(/paths and link targets exceed 10,000 characters/);
  });

  it('refuses 1,000 entries with 500 KB PAX paths at the first one, in bounded memory', async () => {
    const layer = await gzippedLayer(longPathEntries(1_000, 500_000));
    const error = await refusal(scanLayers([layer]));
    expect(error).toBeInstanceOf(ImageIntegrityError);
    expect(error.message).toMatch(/tar extended header of \d+ bytes; at most 262144 are accepted/);
    expect(failureCodeOf(error)).toBe('INVALID_IMAGE');
  });

  it('refuses paths and link targets longer than PATH_MAX, from PAX and GNU long-name records', async () => {
    await expect(scanLayers([await gzippedLayer(longPathEntries(3, 5_000))])).rejects.toThrow(
      /an entry whose path is 5000 characters; at most 4096 are accepted/,
    );
    await expect(scanLayers([await gzippedLayer([{ name: 'link', type: 'symlink', linkname: `/${'t'.repeat(5_000)}` }])])).rejects.toThrow(
      /an entry whose link target is 5001 characters/,
    );
    await expect(scanLayers([{ blob: gzipSync(gnuLongNameTar(`${'g/'.repeat(2_500)}file`)) }])).rejects.toThrow(/an entry whose path is 5004 characters/);
    // At the cap, a path is an ordinary path.
    const atCap = await scanLayers([await gzippedLayer(longPathEntries(3, 4_096))]);
    expect(atCap.filesystem.files.size).toBe(3);
  });

  it('budgets extended-header bytes per layer', async () => {
    await expect(scanLayers([await gzippedLayer(longPathEntries(50, 1_000))], { maxHeaderBytes: 20_000 })).rejects.toThrow(
      /more than 20000 bytes of extended tar headers/,
    );
  });

  it('parses PAX records in linear time, whatever their length fields say, into a prototype-free object', () => {
    // A length of 250,000 leading zeros once made the parser re-scan them for every record.
    expect(parsePax(Buffer.from(`${'0'.repeat(250_000)}1 x`))).toEqual({});
    const records = parsePax(Buffer.from('23 path=etc/os-release\n18 __proto__=evil\n'));
    expect(records.path).toBe('etc/os-release');
    expect(Object.getPrototypeOf(records)).toBeNull();
    expect(records['__proto__']).toBe('evil');
  });

  it('applies whiteouts and an opaque directory to 5,000 paths 2,000 directories deep', async () => {
    const [files, whiteouts] = deepPathLayers(5_000, 1_990);
    const result = await scanLayers([await gzippedLayer(files), await gzippedLayer(whiteouts)]);
    expect([...result.filesystem.files.keys()]).toEqual([`${'d/'.repeat(1_990)}odd/new`]);
    expect(result.filesystem.changes[1]).toMatchObject({ filesRemoved: 5_000, filesAdded: 1 });
  });

  it('refuses a dpkg status of 300,000 packages as IMAGE_TOO_LARGE, with a one-line reason', async () => {
    const layer = await gzippedLayer([{ name: 'var/lib/dpkg/status', content: dpkgStatus(300_000) }]);
    const error = await refusal(scanLayers([layer]));
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error.message).toBe('a layer lists more than 200,000 packages (var/lib/dpkg/status alone 300,000); at most 200,000 are scanned');
    expect(failureCodeOf(error)).toBe('IMAGE_TOO_LARGE');
  });

  it('leaves out package records whose names would not fit a key or the envelope, and keeps the rest', async () => {
    // 2,000 names of 20,000 characters: over V8's string-hash limit, they once made every map
    // of the inventory compare whole strings; the envelope would refuse them anyway.
    const long = (i: number) => `${'n'.repeat(19_990)}${String(i).padStart(10, '0')}`;
    const status = `${dpkgStatus(2_000, long)}\n${STATUS}`;
    const result = await scan({ layers: [[{ name: 'var/lib/dpkg/status', content: status }]] });
    expect(result.packages.map((p) => p.name)).toEqual(['evil']);
    expect(result.warnings.join('\n')).toMatch(/var\/lib\/dpkg\/status: 2000 package record\(s\) with an over-long name left out/);
    const tooLongForEnvelope = await scan({
      layers: [[{ name: 'var/lib/dpkg/status', content: `Package: long-version\nStatus: install ok installed\nVersion: ${'1'.repeat(600)}\n\n${STATUS}` }]],
    });
    expect(tooLongForEnvelope.packages.map((p) => p.name)).toEqual(['evil']);
    expect(tooLongForEnvelope.warnings).toContain("1 package(s) left out: a field exceeds the envelope's limits");
  });

  it('keeps at most 1,000 warnings per layer and counts the rest', async () => {
    const broken: TestEntry[] = Array.from({ length: 1_500 }, (_, i) => ({ name: `app/node_modules/p${i}/package.json`, content: '{ not json' }));
    const result = await scan({ layers: [broken] });
    expect(result.warnings).toHaveLength(1_001);
    expect(result.warnings.at(-1)).toBe('500 more warnings for this layer not listed');
  });

  it('refuses an image of more layers than an envelope holds before reading any', async () => {
    const error = await refusal(scan({ layers: Array.from({ length: 1_001 }, () => []) }));
    expect(error.message).toBe('the image has 1,001 layers; at most 1,000 are scanned');
    expect(failureCodeOf(error)).toBe('IMAGE_TOO_LARGE');
  });

  it('stops a layer that inflates to 8 GiB at 128:1, long before the absolute limit', async () => {
    const error = await refusal(scanLayers([gzipBomb(8 * 1024 ** 3)]));
    expect(error).toBeInstanceOf(ImageTooLargeError);
    expect(error.message).toMatch(/inflates more than 128:1 past its first 268435456 bytes \(decompression bomb\?\)/);
    expect(failureCodeOf(error)).toBe('IMAGE_TOO_LARGE');
  });

  it('harborguard scan says a refusal in one line and exits non-zero', () => {
    const source = writeLayoutOfLayers(mkdtempSync(join(tmpdir(), 'hg-hostile-')), [gzipBomb(8 * 1024 ** 3)]);
    const cli = spawnSync(process.execPath, [join(import.meta.dirname, '../cli/harborguard.mjs'), 'scan', source], {
      encoding: 'utf8',
      env: { ...process.env, HARBORGUARD_DB: join(tmpdir(), 'no-such.db') },
    });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toBe('');
    expect(cli.stderr).toMatch(/^harborguard: layer sha256:[0-9a-f]{64} inflates more than 128:1 past its first 268435456 bytes \(decompression bomb\?\)\n$/);
  });

  it('refuses manifests that lie about layer sizes or digests', async () => {
    const layers = [[{ name: 'etc/os-release', content: 'ID=debian\n' }]];
    await expect(scan({ layers, tamper: (m) => void (m.layers[0]!.size -= 10) })).rejects.toThrow(/larger than the \d+ bytes its manifest declares/);
    await expect(scan({ layers, tamper: (m) => void (m.layers[0]!.size += 10) })).rejects.toThrow(/has \d+ bytes, its manifest declares/);
    const lyingDiffIds = { layers, config: { rootfs: { type: 'layers', diff_ids: [`sha256:${'0'.repeat(64)}`] } } };
    await expect(scan(lyingDiffIds, { verifyDiffIds: true })).rejects.toThrow(/uncompressed\) digest mismatch/);
    const dir = mkdtempSync(join(tmpdir(), 'hg-hostile-'));
    const source = await writeOciLayout(dir, { layers });
    const manifest = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')).manifests[0].digest as string;
    const manifestPath = join(dir, 'blobs/sha256', manifest.slice(7));
    const body = JSON.parse(readFileSync(manifestPath, 'utf8'));
    // Swap the layer bytes under the same name: the digest no longer matches.
    const layerPath = join(dir, 'blobs/sha256', body.layers[0].digest.slice(7));
    const other = gzipSync(await tarOf([{ name: 'etc/os-release', content: 'ID=evil\n' }]));
    writeFileSync(layerPath, other);
    body.layers[0].size = other.length;
    const newManifest = Buffer.from(JSON.stringify(body));
    const newDigest = createHash('sha256').update(newManifest).digest('hex');
    writeFileSync(join(dir, 'blobs/sha256', newDigest), newManifest);
    writeFileSync(
      join(dir, 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [{ digest: `sha256:${newDigest}`, size: newManifest.length, annotations: { 'org.opencontainers.image.ref.name': 'test' } }],
      }),
    );
    await expect(scanImage(await openImage(source))).rejects.toThrow(/digest mismatch/);
  });

  it('refuses digests that would name files outside the layout, and corrupt or truncated layers', async () => {
    await expect(scan({ layers: [[]], tamper: (m) => void (m.layers[0]!.digest = 'sha256:../../../../etc/passwd') })).rejects.toThrow(/malformed digest/);
    const truncated = await tarOf([{ name: 'var/lib/dpkg/status', content: STATUS.repeat(100) }]);
    const { readLayer } = await import('./layer-reader.ts');
    const { Readable } = await import('node:stream');
    await expect(readLayer(Readable.from([gzipSync(truncated.subarray(0, 700))]), {}, [])).rejects.toThrow(ImageIntegrityError);
    await expect(readLayer(Readable.from([Buffer.from('1f8b08000000000000ff6e6f7420677a6970', 'hex')]), {}, [])).rejects.toThrow(ImageIntegrityError);
    await expect(readLayer(Readable.from([Buffer.from('plain garbage that is not a tar header'.repeat(20))]), {}, [])).rejects.toThrow(ImageIntegrityError);
  });

  it('opens nested jars only to a fixed depth and byte budget', () => {
    let jar = zipSync({ 'META-INF/maven/g/a/pom.properties': Buffer.from('groupId=g\nartifactId=deepest\nversion=1\n') });
    for (let depth = 0; depth < 12; depth++)
      jar = zipSync({
        [`lib/level${depth}.jar`]: jar,
        'META-INF/MANIFEST.MF': Buffer.from(`Implementation-Title: level${depth}\nImplementation-Version: 1\n`),
      });
    const { packages } = parseJavaArchive(Buffer.from(jar), 'app.jar');
    expect(packages.length).toBe(5);
    expect(packages.every((p) => (p.location!.match(/!\//g) ?? []).length <= 4)).toBe(true);
    // A jar that declares a huge inflated size for its nested jar is skipped, not inflated.
    const bomb = Buffer.from(zipSync({ 'lib/zeros.jar': new Uint8Array(1024) }));
    const central = bomb.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(1024 ** 3, central + 24);
    bomb.writeUInt32LE(1024 ** 3, 22);
    const result = parseJavaArchive(bomb, 'bomb.jar');
    expect(result.warnings.join()).toMatch(/over the nested-archive budget/);
  });
});
