// Local image sources may name only what they hold: a file of an OCI layout that is a symlink out
// of it, a FIFO in its place, archive members that link or `..` their way out, or an archive
// swapped under its name after it was opened, never make the engine read anything else.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { scanImage } from '../engine/scan-image.ts';
import { entriesFromDir, tarOf, writeOciLayout, type TestEntry } from '../testing/build-image.ts';
import { ImageNotFoundError } from '#shared/registry/image-errors.ts';
import { openImage } from './open-image.ts';
import { TarFileStore } from './tar-file-store.ts';

const scratch = (): string => mkdtempSync(join(tmpdir(), 'hg-local-'));
const OS_RELEASE = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID=12\n' };

/** An OCI layout of one image; returns its directory and the paths of its blobs by role. */
async function layout(dir = join(scratch(), 'layout'), entries: TestEntry[] = [OS_RELEASE]) {
  await writeOciLayout(dir, { layers: [entries] }, 'app');
  const blob = (digest: string) => join(dir, 'blobs', 'sha256', digest.slice(7));
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: Array<{ digest: string }> };
  const manifest = JSON.parse(readFileSync(blob(index.manifests[0]!.digest), 'utf8')) as { config: { digest: string }; layers: Array<{ digest: string }> };
  return { dir, source: `oci:${dir}:app`, config: blob(manifest.config.digest), layer: blob(manifest.layers[0]!.digest) };
}

/** Moves a file out of the layout and leaves a symlink to it in its place. */
function moveOut(file: string): void {
  const outside = join(scratch(), 'outside');
  renameSync(file, outside);
  symlinkSync(outside, file);
}

describe('oci: layouts', () => {
  it('reads no layer blob, config, index.json or blobs folder that is a symlink out of the layout', async () => {
    const layer = await layout();
    moveOut(layer.layer);
    const image = await openImage(layer.source);
    await expect(scanImage(image)).rejects.toThrow(/blobs\/sha256\/[0-9a-f]{64} points outside the image layout/);

    const config = await layout();
    moveOut(config.config);
    await expect(openImage(config.source)).rejects.toThrow(/points outside the image layout/);

    const index = await layout();
    moveOut(join(index.dir, 'index.json'));
    await expect(openImage(index.source)).rejects.toThrow(/index.json points outside the image layout/);

    const blobs = await layout();
    moveOut(join(blobs.dir, 'blobs'));
    await expect(openImage(blobs.source)).rejects.toThrow(/points outside the image layout/);
  });

  it('follows a symlink that stays inside the layout', async () => {
    const { dir, source } = await layout();
    renameSync(join(dir, 'index.json'), join(dir, 'index-real.json'));
    symlinkSync('index-real.json', join(dir, 'index.json'));
    expect((await scanImage(await openImage(source))).os?.id).toBe('debian');
  });

  it('refuses a FIFO where a blob should be, without waiting for a writer', async () => {
    const { source, config } = await layout();
    rmSync(config);
    execFileSync('mkfifo', [config]);
    await expect(openImage(source)).rejects.toThrow(/is not a regular file/);
  });
});

/** The layout as an oci-archive, with `extra` members added and `drop` ones left out. */
async function ociArchive(dir: string, extra: TestEntry[] = [], drop: (name: string) => boolean = () => false): Promise<string> {
  const file = join(scratch(), 'image.tar');
  const members = entriesFromDir(dir).filter((e) => e.type !== 'directory' && !drop(e.name));
  writeFileSync(file, await tarOf([...members, ...extra]));
  return file;
}

describe('oci-archive: archives', () => {
  it('resolves links only to other members: never to an absolute path, never above the archive', async () => {
    const outside = await layout();
    const { dir } = await layout();
    const absolute = await ociArchive(dir, [{ name: 'index.json', type: 'symlink', linkname: join(outside.dir, 'index.json') }], (n) => n === 'index.json');
    await expect(openImage(`oci-archive:${absolute}:app`)).rejects.toThrow(ImageNotFoundError);
    const above = await ociArchive(dir, [{ name: 'index.json', type: 'symlink', linkname: '../../../../../../index.json' }], (n) => n === 'index.json');
    await expect(openImage(`oci-archive:${above}:app`)).rejects.toThrow(/no index.json/);
    const dotdot = await ociArchive(dir, [{ name: '../index.json', content: readFileSync(join(dir, 'index.json')) }], (n) => n === 'index.json');
    await expect(openImage(`oci-archive:${dotdot}:app`)).rejects.toThrow(/no index.json/);
    const layer = await layout();
    const layerName = `blobs/sha256/${layer.layer.split('/').pop()}`;
    const linkedOut = await ociArchive(layer.dir, [{ name: layerName, type: 'symlink', linkname: `../../../${outside.layer}` }], (n) => n === layerName);
    await expect(scanImage(await openImage(`oci-archive:${linkedOut}:app`))).rejects.toThrow(/archive has no member blobs\/sha256/);
  });

  it('reads a hard link from the archive root, wherever the link itself sits', async () => {
    const { dir, layer } = await layout();
    const name = `blobs/sha256/${layer.split('/').pop()}`;
    const file = await ociArchive(
      dir,
      [
        { name: 'store/layer', content: readFileSync(layer) },
        { name, type: 'link', linkname: 'store/layer' },
      ],
      (n) => n === name,
    );
    expect((await scanImage(await openImage(`oci-archive:${file}:app`))).os?.id).toBe('debian');
  });

  it('reads every member through the descriptor it opened, whatever later happens to the name', async () => {
    const { dir } = await layout();
    const file = await ociArchive(dir);
    const image = await openImage(`oci-archive:${file}:app`);
    const other = await layout(undefined, [{ name: 'etc/os-release', content: 'ID=evil\n' }]);
    renameSync(await ociArchive(other.dir), file);
    expect((await scanImage(image)).os?.id).toBe('debian');
    await image.close();
  });

  it('refuses a FIFO as the archive, without waiting for a writer', async () => {
    const fifo = join(scratch(), 'image.tar');
    execFileSync('mkfifo', [fifo]);
    await expect(TarFileStore.open(fifo)).rejects.toThrow(/is not a regular file/);
  });
});

/** A legacy `docker save` archive of the layout's image, its manifest.json rewritten by `edit`. */
async function dockerArchive(dir: string, edit: (entry: { Config: string; Layers: string[] }) => void, extra: TestEntry[] = []): Promise<string> {
  const blobs = join(dir, 'blobs', 'sha256');
  const config = readdirSync(blobs)
    .map((hex) => readFileSync(join(blobs, hex)))
    .find((b) => b.includes('"rootfs"'))!;
  const layerBlob = readdirSync(blobs)
    .map((hex) => readFileSync(join(blobs, hex)))
    .find((b) => b[0] === 0x1f)!;
  const tar = gunzipSync(layerBlob);
  const id = createHash('sha256').update(tar).digest('hex');
  const configId = createHash('sha256').update(config).digest('hex');
  const entry = { Config: `${configId}.json`, RepoTags: ['example/app:1'], Layers: [`${id}/layer.tar`] };
  edit(entry);
  const file = join(scratch(), 'docker.tar');
  writeFileSync(
    file,
    await tarOf([
      { name: 'manifest.json', content: JSON.stringify([entry]) },
      { name: `${configId}.json`, content: config },
      { name: `${id}/layer.tar`, content: tar },
      ...extra,
    ]),
  );
  return file;
}

describe('docker-archive: archives', () => {
  it('reads the layers and config manifest.json names only from the archive', async () => {
    const { dir } = await layout();
    expect((await scanImage(await openImage(`docker-archive:${await dockerArchive(dir, () => {})}`))).os?.id).toBe('debian');
    const dotdot = await dockerArchive(dir, (e) => void (e.Layers = ['../../../../../../etc/passwd']));
    await expect(scanImage(await openImage(`docker-archive:${dotdot}`))).rejects.toThrow(/archive has no member/);
    const absoluteConfig = await dockerArchive(dir, (e) => void (e.Config = '/etc/hostname'));
    await expect(openImage(`docker-archive:${absoluteConfig}`)).rejects.toThrow(/config \/etc\/hostname is missing from the archive/);
    const symlinked = await dockerArchive(dir, (e) => void (e.Layers = ['evil/layer.tar']), [
      { name: 'evil/layer.tar', type: 'symlink', linkname: '/etc/passwd' },
    ]);
    await expect(scanImage(await openImage(`docker-archive:${symlinked}`))).rejects.toThrow(/archive has no member evil\/layer.tar/);
  });

  it('indexes at most a bounded number of members', async () => {
    const { dir } = await layout();
    const many: TestEntry[] = Array.from({ length: 101 }, (_, i) => ({ name: `x/${i}`, content: '' }));
    const file = await dockerArchive(dir, () => {}, many);
    await expect(TarFileStore.open(file, 100)).rejects.toThrow(/the archive has more than 100 members; at most that many are read/);
  });
});
