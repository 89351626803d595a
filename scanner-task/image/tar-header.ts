// The one tar header decoder, read by both tar readers: the layer walker (tar-walker.ts, pushed
// inflated chunks; the hot loop of every scan) and the archive index (tar-file-store.ts, positional
// reads of oci-archive and docker-archive files). Understands ustar (with prefix), GNU long names
// and links and base-256 numbers, and PAX path/linkpath/size records. Written for the walker's
// budget: byte loops instead of regexes or trimmed substrings, and strings only for what a reader
// uses (docs/PERFORMANCE.md: a general tar library cost 15–35 % CPU over the bare header walk).
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';

export const BLOCK = 512;

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'link' | 'character-device' | 'block-device' | 'fifo' | 'other';

const TYPES: Record<string, TarEntryType> = {
  '0': 'file',
  '\0': 'file',
  '7': 'file',
  '1': 'link',
  '2': 'symlink',
  '3': 'character-device',
  '4': 'block-device',
  '5': 'directory',
  '6': 'fifo',
};

export interface TarHeader {
  /** The type flag as written; `x`, `g`, `L` and `K` describe the next entry (isExtension). */
  flag: string;
  type: TarEntryType;
  /** The header's own name (ustar prefix joined); a PAX path or GNU long name overrides it (TarExtensions). */
  name: string;
  linkname: string;
  size: number;
  mode: number;
}

/** PAX records (`x`, and the global `g`) and GNU long names and links (`L`, `K`): their body is metadata of the entry after them. */
export const isExtension = (flag: string): boolean => flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K';

function field(block: Buffer, start: number, length: number): string {
  let end = start;
  while (end < start + length && block[end] !== 0) end++;
  return end === start ? '' : block.toString('utf8', start, end);
}

/** An octal field (leading spaces or NULs, then digits up to a space or NUL), GNU base-256 for 8 GiB and more; NaN when neither. */
function decodeNumber(block: Buffer, start: number, length: number): number {
  if ((block[start]! & 0x80) !== 0) {
    // Big-endian binary after the marker bit; a negative one (0xff…) comes out unsafe and is refused by the caller.
    let value = block[start]! & 0x7f;
    for (let i = start + 1; i < start + length; i++) value = value * 256 + block[i]!;
    return value;
  }
  let value = 0;
  let digits = 0;
  for (let i = start; i < start + length; i++) {
    const c = block[i]!;
    if (c === 0 || c === 0x20) {
      if (digits > 0) break;
      continue;
    }
    if (c < 0x30 || c > 0x37) return NaN;
    value = value * 8 + (c - 0x30);
    digits++;
  }
  return value;
}

function number(block: Buffer, start: number, length: number): number {
  const value = decodeNumber(block, start, length);
  if (Number.isNaN(value)) throw new ImageIntegrityError('tar header has a malformed number');
  return value;
}

/** A block whose checksum field is not even a number is no tar header: said as a checksum mismatch, like any other. */
function checksumOk(block: Buffer): boolean {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  return sum === decodeNumber(block, 148, 8);
}

function isZero(block: Buffer): boolean {
  for (let i = 0; i < BLOCK; i++) if (block[i] !== 0) return false;
  return true;
}

/** POSIX ustar only: GNU's `ustar  ` header keeps access and change times where ustar has the prefix. */
const hasPrefix = (block: Buffer): boolean =>
  block[257] === 0x75 && block[258] === 0x73 && block[259] === 0x74 && block[260] === 0x61 && block[261] === 0x72 && block[262] === 0 && block[345] !== 0;

/** The header in one 512-byte block; undefined for the zero block that ends an archive. */
export function decodeTarHeader(block: Buffer): TarHeader | undefined {
  if (block[0] === 0 && isZero(block)) return undefined;
  if (!checksumOk(block)) throw new ImageIntegrityError('tar header checksum mismatch (not a tar archive, or corrupt)');
  const flag = String.fromCharCode(block[156]!);
  const name = field(block, 0, 100);
  return {
    flag,
    type: TYPES[flag] ?? 'other',
    name: hasPrefix(block) ? `${field(block, 345, 155)}/${name}` : name,
    linkname: field(block, 157, 100),
    size: number(block, 124, 12),
    mode: number(block, 100, 8),
  };
}

/**
 * The records of a PAX extended header ("<length> <key>=<value>\n"). Keys go into a prototype-free
 * object, so `__proto__` is a key like any other. Linear in the header: a length field must cover
 * at least its own digits, so a run of leading zeros cannot make the loop re-scan what it has read.
 */
export function parsePax(body: Buffer): Record<string, string> {
  const records: Record<string, string> = Object.create(null) as Record<string, string>;
  let at = 0;
  while (at < body.length) {
    const space = body.indexOf(0x20, at);
    if (space === -1 || space - at > 20) break;
    const length = parseInt(body.toString('latin1', at, space), 10);
    if (!(length > space - at) || at + length > body.length) break;
    const record = body.toString('utf8', space + 1, at + length - 1);
    const eq = record.indexOf('=');
    if (eq > 0) records[record.slice(0, eq)] = record.slice(eq + 1);
    at += length;
  }
  return records;
}

/**
 * What extension entries say about the entry that follows them. Both readers feed it every
 * extension's body and ask it for the next entry's name, link target and size, so an archive's
 * PAX and GNU records mean the same in a layer and in an image archive.
 */
export class TarExtensions {
  private pax: Record<string, string> | undefined;
  private longName: string | undefined;
  private longLink: string | undefined;

  add(flag: string, body: Buffer): void {
    if (flag === 'x') this.pax = parsePax(body);
    else if (flag === 'L') this.longName = nulTerminated(body);
    else if (flag === 'K') this.longLink = nulTerminated(body);
    // 'g' (global PAX) sets defaults nobody relies on for paths in image layers: ignored.
  }

  /**
   * The entry as its extensions describe it (they apply to this one entry only): the header itself,
   * updated in place, because the walker meets one per entry and an object more each would show.
   */
  resolve(header: TarHeader): TarHeader {
    if (this.pax !== undefined || this.longName !== undefined || this.longLink !== undefined) {
      header.name = this.pax?.path ?? this.longName ?? header.name;
      header.linkname = this.pax?.linkpath ?? this.longLink ?? header.linkname;
      if (this.pax?.size !== undefined) header.size = Number(this.pax.size);
      this.pax = this.longName = this.longLink = undefined;
    }
    if (!Number.isSafeInteger(header.size) || header.size < 0) throw new ImageIntegrityError('tar entry has an invalid size');
    return header;
  }
}

const nulTerminated = (body: Buffer): string => {
  const end = body.indexOf(0);
  return body.toString('utf8', 0, end === -1 ? body.length : end);
};
