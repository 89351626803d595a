// Loads a snapshot: one read, the header and key list parsed, everything else decoded on
// demand (see snapshot-format.ts).
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { packageKey } from './package-key.ts';
import type { KeyBlock, StoredAdvisory } from './stored-advisory.ts';
import { InvalidSnapshotError, MAGIC, SECTION_NAMES, type SectionName, type SnapshotHeader } from './snapshot-format.ts';

export class AdvisorySnapshot {
  readonly ecosystems: readonly string[];
  private readonly keyIndex: Map<string, number>;
  private readonly keyOffsets: Uint32Array;
  private readonly advisoryOffsets: Uint32Array;
  private readonly advisoryCache = new Map<number, StoredAdvisory>();

  constructor(
    readonly header: SnapshotHeader,
    private readonly bytes: Buffer,
  ) {
    this.ecosystems = Object.keys(header.ecosystems);
    const keys = JSON.parse(this.section('keys').toString('utf8')) as string[];
    this.keyIndex = new Map(keys.map((k, i) => [k, i]));
    this.keyOffsets = this.u32('keyOffsets');
    this.advisoryOffsets = this.u32('advisoryOffsets');
  }

  private section(name: SectionName): Buffer {
    const { offset, length } = this.header.sections[name];
    return this.bytes.subarray(offset, offset + length);
  }

  // Sections are 8-byte aligned in the file; a view avoids copying unless the buffer itself is unaligned.
  private u32(name: SectionName): Uint32Array {
    const s = this.section(name);
    if (s.byteOffset % 4 === 0) return new Uint32Array(s.buffer, s.byteOffset, s.length / 4);
    return new Uint32Array(new Uint8Array(s).buffer);
  }

  /** What is filed under (ecosystem, name); undefined when nothing is. */
  block(ecosystem: string, name: string): KeyBlock | undefined {
    const i = this.keyIndex.get(packageKey(ecosystem, name));
    if (i === undefined) return undefined;
    const base = this.header.sections.entries.offset;
    return JSON.parse(this.bytes.toString('utf8', base + this.keyOffsets[i]!, base + this.keyOffsets[i + 1]!)) as KeyBlock;
  }

  advisory(index: number): StoredAdvisory {
    let advisory = this.advisoryCache.get(index);
    if (!advisory) {
      const base = this.header.sections.advisories.offset;
      advisory = JSON.parse(this.bytes.toString('utf8', base + this.advisoryOffsets[index]!, base + this.advisoryOffsets[index + 1]!)) as StoredAdvisory;
      this.advisoryCache.set(index, advisory);
    }
    return advisory;
  }

  /** Recomputes the content hash; true when the sections are what the header says. */
  verify(): boolean {
    const hash = createHash('sha256');
    for (const name of SECTION_NAMES) hash.update(this.section(name));
    return `sha256:${hash.digest('hex')}` === this.header.contentHash;
  }

  get sizeBytes(): number {
    return this.bytes.length;
  }
}

export function parseSnapshot(bytes: Buffer, path = 'snapshot'): AdvisorySnapshot {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new InvalidSnapshotError(path, 'bad magic');
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  let header: SnapshotHeader;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as SnapshotHeader;
  } catch {
    throw new InvalidSnapshotError(path, 'unreadable header');
  }
  if (header.format !== 1) throw new InvalidSnapshotError(path, `format ${header.format} is not supported`);
  for (const name of SECTION_NAMES) {
    const s = header.sections?.[name];
    if (!s || s.offset + s.length > bytes.length) throw new InvalidSnapshotError(path, `section ${name} is truncated`);
  }
  return new AdvisorySnapshot(header, bytes);
}

export async function loadSnapshot(path: string): Promise<AdvisorySnapshot> {
  return parseSnapshot(await readFile(path), path);
}
