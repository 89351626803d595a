// Loads a snapshot: the header, the string pool and the block index are read at once
// (one string, typed-array views and a name → key map per ecosystem); advisory records,
// the bulk of the file, stay on disk and are read when a package matches them, a
// package's records with one read (see snapshot-format.ts).
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { nameNormaliser } from './package-key.ts';
import { decodeAdvisory, type KeyBlock, type RankedBlock, type StoredAdvisory, type StoredEntry } from './stored-advisory.ts';
import type { Hit, OrderKind, VersionOrder } from './version-order.ts';
import {
  BLOCK_ECOSYSTEM,
  BLOCK_PLAIN,
  BLOCK_SEMVER,
  FORMAT_VERSION,
  InvalidSnapshotError,
  MAGIC,
  NO_STRING,
  SECTION_NAMES,
  UnsupportedSnapshotFormatError,
  type SectionName,
  type SnapshotHeader,
} from './snapshot-format.ts';

/** Where the snapshot's bytes come from: a file, or a buffer already in memory. */
interface Source {
  /** `length` bytes at `position`, in a buffer of their own. */
  read(position: number, length: number): Buffer;
  /** The same, but valid only until the next call (a scratch buffer for records). */
  peek(position: number, length: number): Buffer;
}

/** One ecosystem's keys: normalised name → key index. */
interface KeysOf {
  names: Map<string, number>;
  normalise: ((name: string) => string) | undefined;
}

// Records closer than this are read together: one read of a few KB costs less than two.
const READ_GAP = 16 * 1024;

// Ranked block layout (snapshot-format.ts): kind | S | V | slotStart[S+1] | ids[V] | E | entries.
class RankedView implements RankedBlock {
  readonly kind: OrderKind;
  readonly slots: number;
  private readonly versionIds: number;
  private readonly entriesAt: number;

  constructor(
    private readonly snapshot: AdvisorySnapshot,
    private readonly words: Uint32Array,
    private readonly at: number,
  ) {
    this.kind = words[at] === BLOCK_SEMVER ? 'SEMVER' : 'ECOSYSTEM';
    this.slots = words[at + 1]!;
    this.versionIds = at + 3 + this.slots + 1;
    this.entriesAt = this.versionIds + words[at + 2]!;
  }

  slotVersion(i: number): string {
    return this.snapshot.shared(this.words[this.versionIds + this.words[this.at + 3 + i]!]!);
  }

  affectedAt(position: number, advisories: number[], fixes: Array<string | null>): void {
    const w = this.words;
    let p = this.entriesAt + 1;
    for (let e = w[this.entriesAt]!; e > 0; e--) {
      const a = w[p]!;
      const hits = w[p + 1]!;
      p += 2;
      for (let h = 0; h < hits; h++, p += 3) {
        if (position >= w[p]! && position <= w[p + 1]!) {
          advisories.push(a);
          const fix = w[p + 2]!;
          fixes.push(fix === NO_STRING ? null : this.snapshot.shared(fix));
          p += 3 * (hits - h);
          break;
        }
      }
    }
  }

  /** The whole block as plain objects (tests, debugging). */
  decode(): KeyBlock {
    const w = this.words;
    const order: VersionOrder = [];
    for (let i = 0; i < this.slots; i++) {
      const from = w[this.at + 3 + i]!;
      const to = w[this.at + 4 + i]!;
      const slot = Array.from({ length: to - from }, (_, k) => this.snapshot.string(w[this.versionIds + from + k]!));
      order.push(slot.length === 1 ? slot[0]! : slot);
    }
    const entries: StoredEntry[] = [];
    let p = this.entriesAt + 1;
    for (let e = w[this.entriesAt]!; e > 0; e--) {
      const a = w[p]!;
      const hits: Hit[] = [];
      for (let h = w[p + 1]!, q = p + 2; h > 0; h--, q += 3) hits.push([w[q]!, w[q + 1]!, w[q + 2] === NO_STRING ? null : this.snapshot.string(w[q + 2]!)]);
      entries.push({ a, hits });
      p += 2 + 3 * hits.length;
    }
    return { kind: this.kind, order, entries };
  }
}

// Sections are 8-byte aligned in the file, but a Buffer read may sit anywhere in its pool.
function u32(bytes: Buffer): Uint32Array {
  if (bytes.byteOffset % 4 === 0) return new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  return new Uint32Array(new Uint8Array(bytes).buffer);
}

export class AdvisorySnapshot {
  readonly ecosystems: readonly string[];
  private readonly strings: string;
  private readonly stringOffsets: Uint32Array;
  private readonly blockOffsets: Uint32Array;
  private readonly blocks: Uint32Array;
  private readonly advisoryOffsets: Uint32Array;
  private readonly advisoriesAt: number;
  private readonly keys: Map<string, KeysOf>;
  private readonly sharedStrings = new Map<number, string>();
  private readonly pooledString = (id: number): string => this.shared(id);

  constructor(
    readonly header: SnapshotHeader,
    private readonly source: Source,
    readonly sizeBytes: number,
    path: string,
    private readonly onClose: () => void = () => {},
  ) {
    this.ecosystems = Object.keys(header.ecosystems);
    const s = header.sections;
    let strings: unknown;
    try {
      strings = JSON.parse(source.read(s.strings.offset, s.strings.length).toString('utf8'));
    } catch {
      strings = undefined;
    }
    if (typeof strings !== 'string') throw new InvalidSnapshotError(path, 'unreadable string pool');
    this.strings = strings;
    // stringOffsets … advisoryOffsets are contiguous: one read.
    const first = s.stringOffsets.offset;
    const resident = source.read(first, s.advisoryOffsets.offset + s.advisoryOffsets.length - first);
    const section = (name: SectionName): Uint32Array => u32(resident.subarray(s[name].offset - first, s[name].offset - first + s[name].length));
    this.stringOffsets = section('stringOffsets');
    this.blockOffsets = section('blockOffsets');
    this.blocks = section('blocks');
    this.advisoryOffsets = section('advisoryOffsets');
    this.advisoriesAt = s.advisories.offset;
    const consistent =
      this.stringOffsets.length > header.packages &&
      this.stringOffsets[this.stringOffsets.length - 1] === strings.length &&
      this.blockOffsets.length === header.packages + 1 &&
      this.blockOffsets[header.packages] === this.blocks.length &&
      this.advisoryOffsets.length === header.advisories + 1 &&
      this.advisoryOffsets[header.advisories] === s.advisories.length;
    if (!consistent) throw new InvalidSnapshotError(path, 'index sections do not agree with the header');
    this.keys = this.buildKeyIndex();
  }

  /** String `id` of the pool. */
  string(id: number): string {
    return this.strings.slice(this.stringOffsets[id], this.stringOffsets[id + 1]);
  }

  /**
   * String `id`, one instance per id: versions and CVSS vectors recur across packages and
   * findings, and a string seen before carries its hash (the version schemes' memo).
   */
  shared(id: number): string {
    let value = this.sharedStrings.get(id);
    if (value === undefined) this.sharedStrings.set(id, (value = this.string(id)));
    return value;
  }

  // ecosystem → normalised name → key index, built at load from the first strings of the
  // pool (the sorted keys, so each ecosystem's keys are one run). A hash lookup per package,
  // on strings the caller already holds.
  private buildKeyIndex(): Map<string, KeysOf> {
    const index = new Map<string, KeysOf>();
    const pool = this.strings;
    const offsets = this.stringOffsets;
    let ecosystem = '';
    let keys: KeysOf = { names: new Map(), normalise: undefined };
    for (let i = 0; i < this.header.packages; i++) {
      const start = offsets[i]!;
      const end = offsets[i + 1]!;
      const nul = pool.indexOf('\0', start);
      if (nul < 0 || nul >= end) throw new Error(`advisory snapshot: key ${i} has no ecosystem`);
      if (nul - start !== ecosystem.length || !pool.startsWith(ecosystem, start) || index.size === 0) {
        ecosystem = pool.slice(start, nul);
        keys = index.get(ecosystem) ?? { names: new Map(), normalise: nameNormaliser(ecosystem) };
        index.set(ecosystem, keys);
      }
      keys.names.set(pool.slice(nul + 1, end), i);
    }
    return index;
  }

  /** What matching reads for (ecosystem, name): a ranked block in place, or plain entries. */
  lookup(ecosystem: string, name: string): RankedBlock | KeyBlock | undefined {
    const keys = this.keys.get(ecosystem);
    const i = keys?.names.get(keys.normalise ? keys.normalise(name) : name);
    if (i === undefined) return undefined;
    const at = this.blockOffsets[i]!;
    if (this.blocks[at] === BLOCK_PLAIN) return { entries: JSON.parse(this.string(this.blocks[at + 1]!)) as StoredEntry[] };
    if (this.blocks[at] !== BLOCK_ECOSYSTEM && this.blocks[at] !== BLOCK_SEMVER)
      throw new Error(`advisory snapshot: block ${i} has unknown kind ${this.blocks[at]}`);
    return new RankedView(this, this.blocks, at);
  }

  /** What is filed under (ecosystem, name), decoded into plain objects; undefined when nothing is. */
  block(ecosystem: string, name: string): KeyBlock | undefined {
    const found = this.lookup(ecosystem, name);
    return found instanceof RankedView ? found.decode() : (found as KeyBlock | undefined);
  }

  /**
   * The advisories with these indices, in the order asked. Records are read in file order,
   * neighbours with one read: a package's own advisories are stored side by side.
   */
  advisories(indices: readonly number[]): StoredAdvisory[] {
    const out = new Array<StoredAdvisory>(indices.length);
    // Visit in file order: the k-th smallest is indices[at[k]] (at is absent when sorted).
    let at: number[] | undefined;
    for (let k = 1; k < indices.length; k++) {
      if (indices[k]! < indices[k - 1]!) {
        at = Array.from({ length: indices.length }, (_, j) => j).sort((x, y) => indices[x]! - indices[y]!);
        break;
      }
    }
    const offsets = this.advisoryOffsets;
    for (let k = 0; k < indices.length;) {
      // One run: records whose gaps are small enough to read through.
      const runStart = offsets[indices[at ? at[k]! : k]!]!;
      let runEnd = runStart;
      let last = k;
      for (; last < indices.length; last++) {
        const a = indices[at ? at[last]! : last]!;
        if (offsets[a]! - runEnd > READ_GAP) break;
        runEnd = Math.max(runEnd, offsets[a + 1]!);
      }
      const bytes = this.source.peek(this.advisoriesAt + runStart, runEnd - runStart);
      for (; k < last; k++) {
        const j = at ? at[k]! : k;
        const a = indices[j]!;
        // Records are ASCII (non-ASCII is escaped in the JSON): Latin-1 is a plain copy.
        out[j] = decodeAdvisory(bytes.toString('latin1', offsets[a]! - runStart, offsets[a + 1]! - runStart), this.pooledString);
      }
    }
    return out;
  }

  advisory(index: number): StoredAdvisory {
    return this.advisories([index])[0]!;
  }

  /** Recomputes the content hash; true when the sections are what the header says. */
  verify(): boolean {
    const hash = createHash('sha256');
    const CHUNK = 8 * 1024 * 1024;
    for (const name of SECTION_NAMES) {
      const { offset, length } = this.header.sections[name];
      for (let done = 0; done < length; done += CHUNK) hash.update(this.source.read(offset + done, Math.min(CHUNK, length - done)));
    }
    return `sha256:${hash.digest('hex')}` === this.header.contentHash;
  }

  close(): void {
    this.onClose();
  }
}

// The magic and the header JSON, whatever format the header names.
function readHeader(source: Source, size: number, path: string): SnapshotHeader {
  if (size < MAGIC.length + 4 || !source.read(0, MAGIC.length).equals(MAGIC)) throw new InvalidSnapshotError(path, 'bad magic');
  const headerLength = source.read(MAGIC.length, 4).readUInt32LE(0);
  try {
    return JSON.parse(source.read(MAGIC.length + 4, Math.min(headerLength, size)).toString('utf8')) as SnapshotHeader;
  } catch {
    throw new InvalidSnapshotError(path, 'unreadable header');
  }
}

function parseHeader(source: Source, size: number, path: string): SnapshotHeader {
  const header = readHeader(source, size, path);
  if (header.format !== FORMAT_VERSION) throw new UnsupportedSnapshotFormatError(path, header.format);
  for (const name of SECTION_NAMES) {
    const s = header.sections?.[name];
    if (!s || s.offset + s.length > size) throw new InvalidSnapshotError(path, `section ${name} is truncated`);
  }
  return header;
}

// A snapshot file read with positioned reads; `peek` reuses one scratch buffer.
function fileSource(fd: number): Source {
  let scratch = Buffer.allocUnsafeSlow(64 * 1024);
  const readInto = (into: Buffer, position: number, length: number): Buffer => into.subarray(0, readSync(fd, into, 0, length, position));
  return {
    read: (position, length) => readInto(Buffer.allocUnsafe(length), position, length),
    peek: (position, length) => {
      if (length > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(length, 2 * scratch.length));
      return readInto(scratch, position, length);
    },
  };
}

/** A snapshot file's header alone (a few hundred bytes, no index); undefined when there is none to read. */
export async function snapshotHeader(path: string): Promise<SnapshotHeader | undefined> {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    return readHeader(fileSource(fd), fstatSync(fd).size, path);
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The format version a snapshot file was written in; undefined when there is no readable header. */
export async function snapshotFormat(path: string): Promise<number | undefined> {
  const format: unknown = (await snapshotHeader(path))?.format;
  return typeof format === 'number' ? format : undefined;
}

/** A snapshot already in memory (tests, or one just downloaded). */
export function parseSnapshot(bytes: Buffer, path = 'snapshot'): AdvisorySnapshot {
  const slice = (position: number, length: number): Buffer => bytes.subarray(position, Math.min(bytes.length, position + length));
  const source: Source = { read: slice, peek: slice };
  return new AdvisorySnapshot(parseHeader(source, bytes.length, path), source, bytes.length, path);
}

/** A snapshot file; advisory records are read from it on demand until close(). */
export async function loadSnapshot(path: string): Promise<AdvisorySnapshot> {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const source = fileSource(fd);
    return new AdvisorySnapshot(parseHeader(source, size, path), source, size, path, () => closeSync(fd));
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}
