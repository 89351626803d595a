// A minimal ustar/GNU/PAX header decoder for indexing archive files by offset.
import { ImageIntegrityError } from './image-errors.ts';

export interface TarHeader {
  name: string;
  size: number;
  type: string;
  linkname: string;
}

const text = (block: Buffer, start: number, length: number): string => {
  const end = block.indexOf(0, start);
  return block.toString('utf8', start, end === -1 || end > start + length ? start + length : end);
};

function parseSize(block: Buffer): number {
  // GNU base-256 for members of 8 GiB and more.
  if ((block[124]! & 0x80) !== 0) {
    let value = 0;
    for (let i = 125; i < 136; i++) value = value * 256 + block[i]!;
    return value;
  }
  const octal = text(block, 124, 12).trim();
  const value = octal === '' ? 0 : parseInt(octal, 8);
  if (!Number.isSafeInteger(value) || value < 0) throw new ImageIntegrityError('archive has a malformed size field');
  return value;
}

/** Undefined for the zero block that ends an archive. */
export function parseTarHeader(block: Buffer): TarHeader | undefined {
  if (block.every((b) => b === 0)) return undefined;
  let checksum = 0;
  for (let i = 0; i < 512; i++) checksum += i >= 148 && i < 156 ? 32 : block[i]!;
  if (checksum !== parseInt(text(block, 148, 8).trim(), 8)) throw new ImageIntegrityError('archive header checksum mismatch (not a tar file?)');
  const prefix = block.toString('latin1', 257, 263) === 'ustar\0' ? text(block, 345, 155) : '';
  const name = text(block, 0, 100);
  return {
    name: prefix ? `${prefix}/${name}` : name,
    size: parseSize(block),
    type: String.fromCharCode(block[156]!) ,
    linkname: text(block, 157, 100),
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
