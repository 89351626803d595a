// Byte-level stages of reading a layer: digest/size verification and decompression (gzip, zstd, none).
import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { Decompress } from 'fzstd';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';

/** Hashes and counts what passes through; fails as soon as more bytes arrive than declared, and at the end on a mismatch. */
export class VerifyingStream extends Transform {
  private readonly hash: Hash;
  bytes = 0;
  digest = '';

  constructor(
    private readonly expected: { digest?: string; size?: number },
    private readonly what: string,
  ) {
    super();
    const algorithm = expected.digest?.startsWith('sha512:') ? 'sha512' : 'sha256';
    this.hash = createHash(algorithm);
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.bytes += chunk.length;
    const { size } = this.expected;
    if (size !== undefined && size >= 0 && this.bytes > size)
      return done(new ImageIntegrityError(`${this.what} is larger than the ${size} bytes its manifest declares`));
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const { size, digest } = this.expected;
    const algorithm = digest?.startsWith('sha512:') ? 'sha512' : 'sha256';
    this.digest = `${algorithm}:${this.hash.digest('hex')}`;
    if (size !== undefined && size >= 0 && this.bytes !== size)
      return done(new ImageIntegrityError(`${this.what} has ${this.bytes} bytes, its manifest declares ${size}`));
    if (digest && this.digest !== digest) return done(new ImageIntegrityError(`${this.what} digest mismatch: expected ${digest}, got ${this.digest}`));
    done();
  }
}

class ZstdStream extends Transform {
  private readonly decoder = new Decompress((chunk) => this.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.decoder.push(chunk);
      done();
    } catch (error) {
      done(new ImageIntegrityError(`corrupt zstd layer: ${(error as Error).message}`));
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      this.decoder.push(new Uint8Array(0), true);
      done();
    } catch (error) {
      done(new ImageIntegrityError(`corrupt zstd layer: ${(error as Error).message}`));
    }
  }
}

export type Compression = 'gzip' | 'zstd' | 'none';

/**
 * Sniffs the magic bytes rather than trusting the media type (docker archives and some registries
 * get it wrong). Returns a stream that still yields every byte, the sniffed chunk included.
 */
export async function sniffCompression(raw: Readable): Promise<{ compression: Compression; stream: Readable }> {
  // Peek and put back rather than re-wrap the stream: a wrapper (async iterator + Readable.from) costs
  // a promise per chunk on the main thread, which is the scan's bottleneck.
  const head = await peek(raw, 4);
  if (head && head[0] === 0x1f && head[1] === 0x8b) return { compression: 'gzip', stream: raw };
  if (head && head.length >= 4 && head.readUInt32LE(0) === 0xfd2fb528) return { compression: 'zstd', stream: raw };
  return { compression: 'none', stream: raw };
}

/** Up to `size` first bytes (fewer if the stream is shorter), returned to the stream's buffer unconsumed. */
function peek(stream: Readable, size: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const settle = (head: Buffer | undefined, error?: Error): void => {
      stream.off('readable', onReadable).off('end', onEnd).off('error', onError);
      if (error) return reject(error);
      if (head) stream.unshift(head);
      resolve(head);
    };
    const onReadable = (): void => {
      const head = stream.read(size) as Buffer | null;
      if (head !== null) settle(head);
    };
    const onEnd = (): void => settle(undefined);
    const onError = (error: Error): void => settle(undefined, error);
    stream.on('readable', onReadable).on('end', onEnd).on('error', onError);
  });
}

export function decompressor(compression: Compression): Transform | undefined {
  if (compression === 'gzip') return createGunzip({ chunkSize: 256 * 1024 });
  if (compression === 'zstd') return new ZstdStream();
  return undefined;
}
