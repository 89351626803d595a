// A push-style tar reader for the one-pass engine: it walks headers as decompressed chunks arrive
// and hands a file's body, chunk by chunk, only to whoever asked for it; every other body is skipped
// by arithmetic, never copied. Written by hand because it is the hot loop of every scan: measured on
// the benchmark image, tar-stream added 15–35 % CPU over the bare header walk (docs/PERFORMANCE.md).
// Headers are decoded by tar-header.ts, the one decoder (the archive index reads the same).
import { ImageIntegrityError, ImageTooLargeError } from '#shared/registry/image-errors.ts';
import { BLOCK, decodeTarHeader, isExtension, TarExtensions, type TarEntryType } from './tar-header.ts';

export interface TarEntry {
  name: string;
  type: TarEntryType;
  size: number;
  mode: number;
  linkname: string;
}

export interface BodySink {
  write(chunk: Buffer): void;
  end(): void;
}

/**
 * Linux's PATH_MAX. No file an image unpacks to can have a longer name, so a longer one is hostile;
 * it also keeps every path under V8's 16,383-character string-hash limit, above which strings hash
 * by length alone and every Map keyed by such paths degrades to quadratic time.
 */
export const MAX_PATH_LENGTH = 4096;
/**
 * One PAX or GNU long-name record: a path and a link target at PATH_MAX plus a few extended
 * attributes (at most 64 KiB each on Linux) fit; a larger one is an attack on memory, not metadata.
 */
export const MAX_EXTENDED_HEADER = 256 * 1024;

export interface TarWalkerLimits {
  /** PAX and GNU long-name bytes per archive: they are parsed, so they cost time even when small. */
  maxHeaderBytes: number;
}

export const DEFAULT_WALKER_LIMITS: TarWalkerLimits = { maxHeaderBytes: 256 * 1024 * 1024 };

export class TarWalker {
  private header = Buffer.alloc(BLOCK);
  private headerFill = 0;
  /** Body bytes still to come for the current entry (then padding). */
  private remaining = 0;
  private padding = 0;
  private sink: BodySink | undefined;
  /** Collecting a PAX or GNU long-name record instead of a file body. */
  private meta: { flag: string; chunks: Buffer[] } | undefined;
  private readonly extensions = new TarExtensions();
  private ended = false;
  private headerBytes = 0;

  constructor(
    private readonly onEntry: (entry: TarEntry) => BodySink | undefined,
    private readonly limits: TarWalkerLimits = DEFAULT_WALKER_LIMITS,
  ) {}

  write(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length && !this.ended) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, chunk.length - at);
        if (this.sink) this.sink.write(chunk.subarray(at, at + n));
        else if (this.meta) this.meta.chunks.push(Buffer.from(chunk.subarray(at, at + n)));
        this.remaining -= n;
        at += n;
        if (this.remaining === 0) this.finishBody();
        continue;
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, chunk.length - at);
        this.padding -= n;
        at += n;
        continue;
      }
      const n = Math.min(BLOCK - this.headerFill, chunk.length - at);
      chunk.copy(this.header, this.headerFill, at, at + n);
      this.headerFill += n;
      at += n;
      if (this.headerFill === BLOCK) {
        this.headerFill = 0;
        this.readHeader();
      }
    }
  }

  /** Call after the last chunk: an archive cut inside a header or a body is an error. */
  end(): void {
    if (this.remaining > 0 || this.headerFill > 0 || this.meta) throw new ImageIntegrityError('layer ended in the middle of a file');
  }

  private readHeader(): void {
    const header = decodeTarHeader(this.header);
    if (!header) {
      // End-of-archive marker; what follows is padding.
      this.ended = true;
      return;
    }
    if (isExtension(header.flag)) {
      const { size } = header;
      if (size > MAX_EXTENDED_HEADER) throw new ImageIntegrityError(`tar extended header of ${size} bytes; at most ${MAX_EXTENDED_HEADER} are accepted`);
      this.headerBytes += size;
      if (this.headerBytes > this.limits.maxHeaderBytes)
        throw new ImageTooLargeError(`layer has more than ${this.limits.maxHeaderBytes} bytes of extended tar headers`);
      this.startBody(size, undefined, { flag: header.flag, chunks: [] });
      return;
    }
    const { type, mode, linkname } = this.extensions.resolve(header);
    let { name, size } = header;
    if (name.length > MAX_PATH_LENGTH || linkname.length > MAX_PATH_LENGTH) {
      throw new ImageIntegrityError(
        `layer has an entry whose ${name.length > MAX_PATH_LENGTH ? 'path' : 'link target'} is ${Math.max(name.length, linkname.length)} characters; at most ${MAX_PATH_LENGTH} are accepted`,
      );
    }
    if (type === 'directory' && !name.endsWith('/')) name += '/';
    // Only regular files carry a body; a hard link's size field is not followed by data.
    size = type === 'file' || type === 'other' ? size : 0;
    const sink = this.onEntry({ name, type, size, mode, linkname });
    this.startBody(size, type === 'file' ? sink : undefined, undefined);
  }

  private startBody(size: number, sink: BodySink | undefined, meta: { flag: string; chunks: Buffer[] } | undefined): void {
    this.remaining = size;
    this.padding = (BLOCK - (size % BLOCK)) % BLOCK;
    this.sink = sink;
    this.meta = meta;
    if (size === 0) this.finishBody();
  }

  private finishBody(): void {
    if (this.sink) this.sink.end();
    else if (this.meta) this.extensions.add(this.meta.flag, Buffer.concat(this.meta.chunks));
    this.sink = undefined;
    this.meta = undefined;
  }
}
