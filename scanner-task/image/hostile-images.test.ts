// Hostile images, generated in-process: the engine must never follow anything outside the image,
// keep memory bounded, and end with a clear error or a complete result.
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
import { ImageIntegrityError } from './image-errors.ts';
import { openImage } from './open-image.ts';

const layout = (image: TestImage): Promise<string> => writeOciLayout(mkdtempSync(join(tmpdir(), 'hg-hostile-')), image);
const scan = async (image: TestImage, limits = {}) => scanImage(await openImage(await layout(image)), { limits });
const STATUS = 'Package: evil\nStatus: install ok installed\nVersion: 1.0\nArchitecture: amd64\n';

describe('hostile images', () => {
  it('confines absolute and ".." paths to the image root', async () => {
    const result = await scan({
      layers: [[
        { name: '/etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' },
        { name: '../../../../var/lib/dpkg/status', content: STATUS },
        { name: 'a/../../../b/c', content: 'x' },
        { name: '../../.wh.tmp', content: '' },
      ]],
    });
    expect([...result.filesystem.files.keys()].sort()).toEqual(['b/c', 'etc/os-release', 'var/lib/dpkg/status']);
    expect(result.os?.id).toBe('debian');
    expect(result.packages.map((p) => p.name)).toEqual(['evil']);
  });

  it('never follows symlinks or hardlinks, wherever they point', async () => {
    const result = await scan({
      layers: [[
        { name: 'etc/os-release', type: 'symlink', linkname: '/etc/os-release' },
        { name: 'usr/lib/os-release', type: 'symlink', linkname: '../../../../../../etc/os-release' },
        { name: 'var/lib/dpkg/status', type: 'link', linkname: '../../../../etc/passwd' },
        { name: 'app/node_modules/x/package.json', type: 'symlink', linkname: '/work/main/package.json' },
      ]],
    });
    expect(result.os).toBeUndefined();
    expect(result.packages).toEqual([]);
    expect(result.filesystem.files.get('etc/os-release')).toMatchObject({ type: 'symlink', linkname: '/etc/os-release' });
  });

  it('reports what a hard link within the layer shares with its target, read once', async () => {
    const result = await scan({
      layers: [[
        { name: 'app/node_modules/a/package.json', content: JSON.stringify({ name: 'a', version: '1.0.0' }) },
        { name: 'other/node_modules/a/package.json', type: 'link', linkname: 'app/node_modules/a/package.json' },
      ]],
    });
    expect(result.packages.map((p) => p.location).sort()).toEqual(['app/node_modules/a/package.json', 'other/node_modules/a/package.json']);
  });

  it('records device nodes and FIFOs without reading them', async () => {
    const result = await scan({
      layers: [[
        { name: 'dev/null', type: 'character-device', mode: 0o666 },
        { name: 'dev/sda', type: 'block-device' },
        { name: 'var/lib/dpkg/status', type: 'fifo' },
      ]],
    });
    expect(result.filesystem.files.get('dev/sda')?.type).toBe('other');
    expect(result.packages).toEqual([]);
  });

  it('skips files above a cataloger\'s size cap, with a warning, in bounded memory', async () => {
    const source = await layout({ layers: [[{ name: 'var/lib/dpkg/status', content: Buffer.alloc(96 * 1024 * 1024) }, { name: 'etc/os-release', content: 'ID=debian\n' }]] });
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

  it('stops layers with absurd numbers of entries', async () => {
    const entries: TestEntry[] = Array.from({ length: 500 }, (_, i) => ({ name: `f/${i}`, content: '' }));
    await expect(scan({ layers: [entries] }, { maxEntries: 100 })).rejects.toThrow(/more than 100 entries/);
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
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [{ digest: `sha256:${newDigest}`, size: newManifest.length, annotations: { 'org.opencontainers.image.ref.name': 'test' } }] }));
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
    for (let depth = 0; depth < 12; depth++) jar = zipSync({ [`lib/level${depth}.jar`]: jar, 'META-INF/MANIFEST.MF': Buffer.from(`Implementation-Title: level${depth}\nImplementation-Version: 1\n`) });
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
