// Loads a snapshot: the header, key list, entries and offsets are read at once (tens of MB
// for half a million advisories); advisory records, the bulk of the file, stay on disk and
// are read one by one when a package matches them (see snapshot-format.ts).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { packageKey } from './package-key.ts';
import type { KeyBlock, StoredAdvisory } from './stored-advisory.ts';
import { InvalidSnapshotError, MAGIC, SECTION_NAMES, type SectionName, type SnapshotHeader } from './snapshot-format.ts';

/** Reads `length` bytes at `position` of the snapshot. */
type ReadAt = (position: number, length: number) => Buffer;

export class AdvisorySnapshot {
  readonly ecosystems: readonly string[];
  private readonly keyIndex: Map<string, number>;
  private readonly keyOffsets: Uint32Array;
  private readonly advisoryOffsets: Uint32Array;
  private readonly entriesBytes: Buffer;
  private readonly advisoryCache = new Map<number, StoredAdvisory>();

  constructor(
    readonly header: SnapshotHeader,
    private readonly readAt: ReadAt,
    readonly sizeBytes: number,
    private readonly onClose: () => void = () => {},
  ) {
    this.ecosystems = Object.keys(header.ecosystems);
    // keys, keyOffsets, entries and advisoryOffsets are contiguous: one read.
    const first = header.sections.keys.offset;
    const resident = readAt(first, header.sections.advisoryOffsets.offset + header.sections.advisoryOffsets.length - first);
    const section = (name: SectionName): Buffer => resident.subarray(header.sections[name].offset - first, header.sections[name].offset - first + header.sections[name].length);
    const keys = JSON.parse(section('keys').toString('utf8')) as string[];
    this.keyIndex = new Map(keys.map((k, i) => [k, i]));
    this.keyOffsets = u32(section('keyOffsets'));
    this.advisoryOffsets = u32(section('advisoryOffsets'));
    this.entriesBytes = section('entries');
  }

  /** What is filed under (ecosystem, name); undefined when nothing is. */
  block(ecosystem: string, name: string): KeyBlock | undefined {
    const i = this.keyIndex.get(packageKey(ecosystem, name));
    if (i === undefined) return undefined;
    return JSON.parse(this.entriesBytes.toString('utf8', this.keyOffsets[i]!, this.keyOffsets[i + 1]!)) as KeyBlock;
  }

  advisory(index: number): StoredAdvisory {
    let advisory = this.advisoryCache.get(index);
    if (!advisory) {
      const start = this.advisoryOffsets[index]!;
      const bytes = this.readAt(this.header.sections.advisories.offset + start, this.advisoryOffsets[index + 1]! - start);
      advisory = JSON.parse(bytes.toString('utf8')) as StoredAdvisory;
      this.advisoryCache.set(index, advisory);
    }
    return advisory;
  }

  /** Recomputes the content hash; true when the sections are what the header says. */
  verify(): boolean {
    const hash = createHash('sha256');
    const CHUNK = 8 * 1024 * 1024;
    for (const name of SECTION_NAMES) {
      const { offset, length } = this.header.sections[name];
      for (let done = 0; done < length; done += CHUNK) hash.update(this.readAt(offset + done, Math.min(CHUNK, length - done)));
    }
    return `sha256:${hash.digest('hex')}` === this.header.contentHash;
  }

  close(): void {
    this.onClose();
  }
}

// Sections are 8-byte aligned in the file, but a Buffer read may sit anywhere in its pool.
function u32(bytes: Buffer): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Uint32Array(new Uint8Array(bytes).buffer);
}

function parseHeader(readAt: ReadAt, size: number, path: string): SnapshotHeader {
  if (size < MAGIC.length + 4 || !readAt(0, MAGIC.length).equals(MAGIC)) throw new InvalidSnapshotError(path, 'bad magic');
  const headerLength = readAt(MAGIC.length, 4).readUInt32LE(0);
  let header: SnapshotHeader;
  try {
    header = JSON.parse(readAt(MAGIC.length + 4, Math.min(headerLength, size)).toString('utf8')) as SnapshotHeader;
  } catch {
    throw new InvalidSnapshotError(path, 'unreadable header');
  }
  if (header.format !== 1) throw new InvalidSnapshotError(path, `format ${header.format} is not supported`);
  for (const name of SECTION_NAMES) {
    const s = header.sections?.[name];
    if (!s || s.offset + s.length > size) throw new InvalidSnapshotError(path, `section ${name} is truncated`);
  }
  return header;
}

/** A snapshot already in memory (tests, or one just downloaded). */
export function parseSnapshot(bytes: Buffer, path = 'snapshot'): AdvisorySnapshot {
  const readAt: ReadAt = (position, length) => bytes.subarray(position, Math.min(bytes.length, position + length));
  return new AdvisorySnapshot(parseHeader(readAt, bytes.length, path), readAt, bytes.length);
}

/** A snapshot file; advisory records are read from it on demand until close(). */
export async function loadSnapshot(path: string): Promise<AdvisorySnapshot> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const readAt: ReadAt = (position, length) => {
      const out = Buffer.allocUnsafe(length);
      const n = readSync(fd, out, 0, length, position);
      return n === length ? out : out.subarray(0, n);
    };
    return new AdvisorySnapshot(parseHeader(readAt, size, path), readAt, size, () => closeSync(fd));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
