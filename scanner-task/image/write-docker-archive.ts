// Writes an image out as a `docker save` archive (manifest.json, <config>.json, one uncompressed
// <diff_id>.tar per layer), for tools that read images no other way. Layers stream from their
// source to the file: the blob digest and the config's diff_id are checked on the way, nothing is
// held whole in memory, and the archive stops at a size limit. On any failure the file is removed.
import { open, rm, type FileHandle } from 'node:fs/promises';
import { Transform, Writable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageIntegrityError, ImageSourceError } from '#shared/registry/image-errors.ts';
import { verifyDigest } from './json-blob.ts';
import { decompressor, sniffCompression, VerifyingStream } from './layer-streams.ts';
import type { LayerBlob, ResolvedImage } from './resolved-image.ts';

export class ImageTooLargeError extends ImageSourceError {
  override name = 'ImageTooLargeError';
}

export interface DockerArchiveOptions {
  /** Bytes the archive may reach (layers uncompressed): a copy must not fill the scratch disk. */
  maxBytes: number;
  /** The name manifest.json gives the image ("registry/repository:tag"), when it has one. */
  repoTag?: string;
}

const BLOCK = 512;
// Archive member names are built from these, so only well-formed sha256 digests are accepted.
const SHA256 = /^sha256:([a-f0-9]{64})$/;

function hexOf(digest: string | undefined, what: string): string {
  const match = SHA256.exec(digest ?? '');
  if (!match) throw new ImageIntegrityError(`${what} has no usable sha256 digest ("${String(digest).slice(0, 100)}")`);
  return match[1]!;
}

/** A ustar header for a regular file; sizes of 8 GiB and more in GNU base-256, as Go's archive/tar reads them. */
export function fileHeader(name: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write('0000000\0', 108);
  block.write('0000000\0', 116);
  if (size < 8 ** 11) block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  else {
    block[124] = 0x80;
    for (let i = 135, rest = size; i > 124; i--, rest = Math.floor(rest / 256)) block[i] = rest % 256;
  }
  block.write('00000000000\0', 136);
  block.write('        ', 148);
  block.write('0', 156);
  block.write('ustar\0' + '00', 257, 'latin1');
  let checksum = 0;
  for (const byte of block) checksum += byte;
  block.write(`${checksum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}

/** Counts what passes and fails the copy as soon as the archive would outgrow its limit. */
class SizeLimit extends Transform {
  constructor(
    private total: number,
    private readonly maxBytes: number,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.total += chunk.length;
    if (this.total > this.maxBytes) return done(new ImageTooLargeError(`the image is larger than the ${this.maxBytes} bytes allowed for a local copy`));
    done(null, chunk);
  }
}

class ArchiveFile {
  private position = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly maxBytes: number,
  ) {}

  async addBytes(name: string, bytes: Buffer): Promise<void> {
    if (this.position + BLOCK + bytes.length > this.maxBytes)
      throw new ImageTooLargeError(`the image is larger than the ${this.maxBytes} bytes allowed for a local copy`);
    await this.write(fileHeader(name, bytes.length), this.position);
    await this.write(bytes, this.position + BLOCK);
    await this.finishMember(bytes.length);
  }

  /** The layer's bytes first, then its header in the block kept for it: the size is known only at the end. */
  async addLayer(name: string, layer: LayerBlob, diffId: string, what: string): Promise<void> {
    const { descriptor } = layer;
    const raw = await layer.open();
    const { compression, stream } = await sniffCompression(raw);
    const compressed = new VerifyingStream({ digest: descriptor.digest, ...(descriptor.size >= 0 ? { size: descriptor.size } : {}) }, what);
    const uncompressed = new VerifyingStream({ digest: diffId }, `${what} (uncompressed)`);
    const decompress = decompressor(compression);
    const limit = new SizeLimit(this.position + BLOCK, this.maxBytes);
    let at = this.position + BLOCK;
    // Positional writes on the archive's one handle (a handle's own write stream would keep it from closing).
    const file = new Writable({
      highWaterMark: 1024 * 1024,
      write: (chunk: Buffer, _encoding, done) => {
        this.write(chunk, at).then(() => done(), done);
        at += chunk.length;
      },
    });
    try {
      await pipeline([stream, compressed, ...(decompress ? [decompress] : []), uncompressed, limit, file]);
    } catch (error) {
      // A corrupt stream (zlib, zstd) is the image's fault; a full or unwritable disk is not.
      if (error instanceof ImageSourceError || (error as NodeJS.ErrnoException).syscall) throw error;
      throw new ImageIntegrityError(`cannot read ${what}: ${(error as Error).message}`);
    }
    await this.write(fileHeader(name, uncompressed.bytes), this.position);
    await this.finishMember(uncompressed.bytes);
  }

  async end(): Promise<void> {
    await this.write(Buffer.alloc(2 * BLOCK), this.position);
  }

  private async finishMember(size: number): Promise<void> {
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;
    if (padding > 0) await this.write(Buffer.alloc(padding), this.position + BLOCK + size);
    this.position += BLOCK + size + padding;
  }

  private async write(bytes: Buffer, at: number): Promise<void> {
    let done = 0;
    while (done < bytes.length) done += (await this.handle.write(bytes, done, bytes.length - done, at + done)).bytesWritten;
  }
}

/** Writes `image` to `file` (which must not exist yet); a layer listed twice is stored once. */
export async function writeDockerArchive(image: ResolvedImage, file: string, options: DockerArchiveOptions): Promise<void> {
  const handle = await open(file, 'wx', 0o600);
  try {
    const archive = new ArchiveFile(handle, options.maxBytes);
    const diffIds = image.config.rootfs?.diff_ids ?? [];
    if (diffIds.length !== image.layers.length) throw new ImageIntegrityError(`config lists ${diffIds.length} diff_ids for ${image.layers.length} layers`);
    const names: string[] = [];
    for (const [index, layer] of image.layers.entries()) {
      const what = `layer ${index + 1} (${layer.descriptor.digest})`;
      const name = `${hexOf(diffIds[index], `${what}'s diff_id`)}.tar`;
      if (!names.includes(name)) await archive.addLayer(name, layer, diffIds[index]!, what);
      names.push(name);
    }
    verifyDigest(image.configBytes, image.configDigest, 'image config');
    const config = `${hexOf(image.configDigest, 'image config')}.json`;
    await archive.addBytes(config, image.configBytes);
    await archive.addBytes(
      'manifest.json',
      Buffer.from(JSON.stringify([{ Config: config, RepoTags: options.repoTag ? [options.repoTag] : null, Layers: names }])),
    );
    await archive.end();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true });
    throw error;
  }
}
