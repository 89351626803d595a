// Builds the snapshot file from a stream of OSV records. Each record is reduced to its
// stored form as it arrives, so memory follows the compact data, not the raw dumps.
import { createHash } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { schemeForEcosystem, UnknownEcosystemError } from '#shared/matching/versions/index.ts';
import { packageKey } from '#shared/matching/package-key.ts';
import type { OsvRecord } from '#shared/matching/osv-record.ts';
import { inheritAliasSeverity } from './alias-severity.ts';
import { encodeAdvisory, toStoredAdvisory, toStoredEntry, type Enrichment, type StoredAdvisory, type StoredEntry } from '#shared/matching/stored-advisory.ts';
import { buildOrder, compileHits, ranksOf } from '#shared/matching/version-order.ts';
import {
  align8,
  BLOCK_ECOSYSTEM,
  BLOCK_PLAIN,
  BLOCK_SEMVER,
  FORMAT_VERSION,
  MAGIC,
  NO_STRING,
  SECTION_NAMES,
  type SectionName,
  type SnapshotHeader,
} from '#shared/matching/snapshot-format.ts';

interface Pending {
  modified: string;
  // undefined: the newest copy of this id is withdrawn, and must hide older copies.
  advisory?: StoredAdvisory;
  entries: Array<{ key: string; ecosystem: string; entry: EntryBody }>;
}

export interface BuildStats {
  records: number;
  withdrawn: number;
  /** affected[] entries skipped: ecosystem without a version scheme, or GIT-only ranges. */
  skippedEntries: number;
}

export interface WrittenSnapshot {
  header: SnapshotHeader;
  stats: BuildStats;
}

function knownEcosystem(ecosystem: string): boolean {
  try {
    schemeForEcosystem(ecosystem);
    return true;
  } catch (error) {
    if (error instanceof UnknownEcosystemError) return false;
    throw error;
  }
}

function u32Section(values: ArrayLike<number>): Buffer {
  const out = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) out.writeUInt32LE(values[i]!, i * 4);
  return out;
}

// Concatenated UTF-8 JSON texts and the u32 offsets that delimit them.
function jsonBlobs(texts: Iterable<string>): { blob: Buffer; offsets: Buffer } {
  const parts: Buffer[] = [];
  const offsets = [0];
  let size = 0;
  for (const text of texts) {
    const bytes = Buffer.from(text, 'utf8');
    parts.push(bytes);
    size += bytes.length;
    if (size > 0xffffffff) throw new RangeError('snapshot section exceeds 4 GiB');
    offsets.push(size);
  }
  return { blob: Buffer.concat(parts, size), offsets: u32Section(offsets) };
}

// Each distinct string once; an id is its place in the pool.
class StringPool {
  private readonly ids = new Map<string, number>();
  private readonly list: string[] = [];
  private length = 0;

  add(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.list.length;
      this.ids.set(value, id);
      this.list.push(value);
      this.length += value.length;
      if (this.length > 0xffffffff) throw new RangeError('snapshot string pool exceeds 2^32 code units');
    }
    return id;
  }

  joined(): string {
    return this.list.join('');
  }

  /** Start of each string in joined(), in UTF-16 code units, and the end of the last. */
  offsets(): Uint32Array {
    const out = new Uint32Array(this.list.length + 1);
    let at = 0;
    this.list.forEach((value, i) => {
      out[i] = at;
      at += value.length;
    });
    out[this.list.length] = at;
    return out;
  }
}

// A growing u32 array.
class WordWriter {
  private data = new Uint32Array(1 << 16);
  length = 0;

  push(...values: number[]): void {
    if (this.length + values.length > this.data.length) {
      const bigger = new Uint32Array(Math.max(this.data.length * 2, this.length + values.length));
      bigger.set(this.data.subarray(0, this.length));
      this.data = bigger;
    }
    for (const v of values) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`snapshot block value ${v} is not a u32`);
      this.data[this.length++] = v;
    }
  }

  words(): Uint32Array {
    return this.data.subarray(0, this.length);
  }
}

type EntryBody = Omit<StoredEntry, 'a'>;

function mergeEntries(a: EntryBody, b: EntryBody): EntryBody {
  const ranges = [...(a.ranges ?? []), ...(b.ranges ?? [])];
  const versions = [...(a.versions ?? []), ...(b.versions ?? [])];
  return { ...(ranges.length > 0 ? { ranges } : {}), ...(versions.length > 0 ? { versions } : {}) };
}

export class SnapshotWriter {
  private readonly pending = new Map<string, Pending>();
  readonly stats: BuildStats = { records: 0, withdrawn: 0, skippedEntries: 0 };
  private readonly known = new Map<string, boolean>();

  constructor(private readonly enrichment?: Enrichment) {}

  add(record: OsvRecord): void {
    this.stats.records++;
    const previous = this.pending.get(record.id);
    // The same id from two inputs (a folder and a dump): the newest modification wins.
    if (previous && previous.modified >= record.modified) return;
    if (record.withdrawn) {
      this.stats.withdrawn++;
      this.pending.set(record.id, { modified: record.modified, entries: [] });
      return;
    }
    const entries: Pending['entries'] = [];
    for (const affected of record.affected ?? []) {
      const ecosystem = affected.package?.ecosystem;
      const name = affected.package?.name;
      let known = ecosystem === undefined ? false : this.known.get(ecosystem);
      if (known === undefined) this.known.set(ecosystem!, (known = knownEcosystem(ecosystem!)));
      const entry = known ? toStoredEntry(0, affected) : undefined;
      if (!entry || !name) {
        this.stats.skippedEntries++;
        continue;
      }
      const { a: _index, ...rest } = entry;
      const key = packageKey(ecosystem!, name);
      // Several affected[] entries of one record for one package are one set of ranges:
      // a fix counts only if no entry of the record still includes it.
      const same = entries.find((e) => e.key === key);
      if (same) same.entry = mergeEntries(same.entry, rest);
      else entries.push({ key, ecosystem: ecosystem!, entry: rest });
    }
    this.pending.set(record.id, { modified: record.modified, advisory: toStoredAdvisory(record, this.enrichment), entries });
  }

  async write(path: string, builtAt = new Date().toISOString()): Promise<WrittenSnapshot> {
    const ids = [...this.pending.keys()].filter((id) => this.pending.get(id)!.advisory && this.pending.get(id)!.entries.length > 0).sort();
    // Per key, its entries in advisory-id order; `n` is the advisory's place in `ids`.
    const byKey = new Map<string, Array<{ n: number; entry: EntryBody }>>();
    const ecosystems: Record<string, number> = {};
    let newestModified: string | null = null;
    let knownExploited = 0;
    let epss = 0;
    ids.forEach((id, n) => {
      const { advisory, entries, modified } = this.pending.get(id)!;
      if (newestModified === null || modified > newestModified) newestModified = modified;
      if (advisory!.knownExploited) knownExploited++;
      if (advisory!.epss !== undefined) epss++;
      for (const ecosystem of new Set(entries.map((e) => e.ecosystem))) ecosystems[ecosystem] = (ecosystems[ecosystem] ?? 0) + 1;
      for (const { key, entry } of entries) {
        const list = byKey.get(key) ?? [];
        list.push({ n, entry });
        byKey.set(key, list);
      }
    });
    const keys = [...byKey.keys()].sort();
    // Advisories are numbered, and laid out, by the first key that lists them: a package's
    // advisories sit side by side in the file, so matching reads them with one read.
    const number = new Int32Array(ids.length).fill(-1);
    const fileOrder: number[] = [];
    for (const key of keys) {
      for (const { n } of byKey.get(key)!) {
        if (number[n]! < 0) {
          number[n] = fileOrder.length;
          fileOrder.push(n);
        }
      }
    }
    const strings = new StringPool();
    for (const key of keys) strings.add(key); // ids 0 … keys.length − 1, sorted
    const blocks = new WordWriter();
    const blockOffsets = new Uint32Array(keys.length + 1);
    keys.forEach((key, i) => {
      blockOffsets[i] = blocks.length;
      // Entries stay in advisory-id order, as matching has always visited them.
      const list: StoredEntry[] = byKey.get(key)!.map(({ n, entry }) => ({ a: number[n]!, ...entry }));
      const ecosystem = key.slice(0, key.indexOf('\0'));
      const ranked = buildOrder(list, ecosystem);
      if (!ranked) {
        blocks.push(BLOCK_PLAIN, strings.add(JSON.stringify(list)));
        return;
      }
      const ranks = ranksOf(ranked.order);
      const slots = ranked.order.map((slot) => (Array.isArray(slot) ? slot : [slot]));
      const versions = slots.flat();
      blocks.push(ranked.kind === 'SEMVER' ? BLOCK_SEMVER : BLOCK_ECOSYSTEM, slots.length, versions.length);
      let start = 0;
      for (const slot of slots) {
        blocks.push(start);
        start += slot.length;
      }
      blocks.push(start);
      for (const v of versions) blocks.push(strings.add(v));
      blocks.push(list.length);
      for (const e of list) {
        const hits = compileHits(e, ecosystem, ranked.order, ranks);
        blocks.push(e.a, hits.length);
        for (const [from, to, fix] of hits) blocks.push(from, to, fix === null ? NO_STRING : strings.add(fix));
      }
    });
    blockOffsets[keys.length] = blocks.length;
    // Every advisory read counts as a source, also those with no entry for a package we know.
    inheritAliasSeverity([...this.pending.values()].flatMap((p) => (p.advisory ? [p.advisory] : [])));
    const advisoryBlobs = jsonBlobs(fileOrder.map((n) => encodeAdvisory(this.pending.get(ids[n]!)!.advisory!, (value) => strings.add(value))));
    const sections: Record<SectionName, Buffer> = {
      strings: Buffer.from(JSON.stringify(strings.joined()), 'utf8'),
      stringOffsets: u32Section(strings.offsets()),
      blockOffsets: u32Section(blockOffsets),
      blocks: u32Section(blocks.words()),
      advisoryOffsets: advisoryBlobs.offsets,
      advisories: advisoryBlobs.blob,
    };
    const hash = createHash('sha256');
    for (const name of SECTION_NAMES) hash.update(sections[name]);
    const header: SnapshotHeader = {
      format: FORMAT_VERSION,
      builtAt,
      contentHash: `sha256:${hash.digest('hex')}`,
      newestModified,
      advisories: ids.length,
      packages: keys.length,
      ecosystems: Object.fromEntries(Object.entries(ecosystems).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      enrichment: { knownExploited, epss },
      sections: {} as SnapshotHeader['sections'],
    };
    // Section offsets depend on the header's length, which depends on the offsets:
    // reserve digits generously, then lay the sections out after the padded header.
    const placeholder = Buffer.byteLength(
      JSON.stringify({ ...header, sections: Object.fromEntries(SECTION_NAMES.map((n) => [n, { offset: 1e15, length: 1e15 }])) }),
    );
    let offset = align8(MAGIC.length + 4 + placeholder);
    for (const name of SECTION_NAMES) {
      header.sections[name] = { offset, length: sections[name].length };
      offset = align8(offset + sections[name].length);
    }
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.alloc(header.sections[SECTION_NAMES[0]].offset);
    MAGIC.copy(prefix, 0);
    prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
    headerBytes.copy(prefix, MAGIC.length + 4);
    // Written beside the target and renamed: a scanner never loads a half-written file.
    const temporary = `${path}.${process.pid}.tmp`;
    const file = await open(temporary, 'w');
    try {
      await file.write(prefix);
      for (const name of SECTION_NAMES) {
        const bytes = sections[name];
        await file.write(bytes);
        // The file ends with the last section's bytes: nothing outside the hash follows.
        const pad = name === SECTION_NAMES.at(-1) ? 0 : align8(bytes.length) - bytes.length;
        if (pad > 0) await file.write(Buffer.alloc(pad));
      }
    } finally {
      await file.close();
    }
    await rename(temporary, path);
    return { header, stats: { ...this.stats } };
  }
}
