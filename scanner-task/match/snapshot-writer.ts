// Builds the snapshot file from a stream of OSV records. Each record is reduced to its
// stored form as it arrives, so memory follows the compact data, not the raw dumps.
import { createHash } from 'node:crypto';
import { open, rename } from 'node:fs/promises';
import { schemeForEcosystem, UnknownEcosystemError } from './versions/index.ts';
import { packageKey } from './package-key.ts';
import type { OsvRecord } from './osv-record.ts';
import { toStoredAdvisory, toStoredEntry, type Enrichment, type KeyBlock, type StoredAdvisory, type StoredEntry } from './stored-advisory.ts';
import { buildOrder, compileHits, ranksOf } from './version-order.ts';
import { align8, FORMAT_VERSION, MAGIC, SECTION_NAMES, type SectionName, type SnapshotHeader } from './snapshot-format.ts';

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

function u32Section(values: readonly number[]): Buffer {
  const out = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => out.writeUInt32LE(v, i * 4));
  return out;
}

// Concatenated UTF-8 JSON values and the u32 offsets that delimit them.
function jsonBlobs(values: Iterable<unknown>): { blob: Buffer; offsets: Buffer } {
  const parts: Buffer[] = [];
  const offsets = [0];
  let size = 0;
  for (const value of values) {
    const bytes = Buffer.from(JSON.stringify(value), 'utf8');
    parts.push(bytes);
    size += bytes.length;
    if (size > 0xffffffff) throw new RangeError('snapshot section exceeds 4 GiB');
    offsets.push(size);
  }
  return { blob: Buffer.concat(parts, size), offsets: u32Section(offsets) };
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
    const byKey = new Map<string, StoredEntry[]>();
    const ecosystems: Record<string, number> = {};
    const advisories: StoredAdvisory[] = [];
    let newestModified: string | null = null;
    let knownExploited = 0;
    let epss = 0;
    ids.forEach((id, index) => {
      const { advisory, entries } = this.pending.get(id)!;
      advisories.push(advisory!);
      if (newestModified === null || advisory!.modified > newestModified) newestModified = advisory!.modified;
      if (advisory!.knownExploited) knownExploited++;
      if (advisory!.epss !== undefined) epss++;
      for (const ecosystem of new Set(entries.map((e) => e.ecosystem))) ecosystems[ecosystem] = (ecosystems[ecosystem] ?? 0) + 1;
      for (const { key, entry } of entries) {
        const list = byKey.get(key) ?? [];
        list.push({ a: index, ...entry });
        byKey.set(key, list);
      }
    });
    const keys = [...byKey.keys()].sort();
    const entries = jsonBlobs(keys.map((k): KeyBlock => {
      const list = byKey.get(k)!;
      const ecosystem = k.slice(0, k.indexOf('\0'));
      const ranked = buildOrder(list, ecosystem);
      if (!ranked) return { entries: list };
      const ranks = ranksOf(ranked.order);
      return { kind: ranked.kind, order: ranked.order, entries: list.map((e) => ({ a: e.a, hits: compileHits(e, ecosystem, ranked.order, ranks) })) };
    }));
    const advisoryBlobs = jsonBlobs(advisories);
    const sections: Record<SectionName, Buffer> = {
      keys: Buffer.from(JSON.stringify(keys), 'utf8'),
      keyOffsets: entries.offsets,
      entries: entries.blob,
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
      advisories: advisories.length,
      packages: keys.length,
      ecosystems: Object.fromEntries(Object.entries(ecosystems).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      enrichment: { knownExploited, epss },
      sections: {} as SnapshotHeader['sections'],
    };
    // Section offsets depend on the header's length, which depends on the offsets:
    // reserve digits generously, then lay the sections out after the padded header.
    const placeholder = Buffer.byteLength(JSON.stringify({ ...header, sections: Object.fromEntries(SECTION_NAMES.map((n) => [n, { offset: 1e15, length: 1e15 }])) }));
    let offset = align8(MAGIC.length + 4 + placeholder);
    for (const name of SECTION_NAMES) {
      header.sections[name] = { offset, length: sections[name].length };
      offset = align8(offset + sections[name].length);
    }
    const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
    const prefix = Buffer.alloc(header.sections.keys.offset);
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
        const pad = align8(bytes.length) - bytes.length;
        if (pad > 0) await file.write(Buffer.alloc(pad));
      }
    } finally {
      await file.close();
    }
    await rename(temporary, path);
    return { header, stats: { ...this.stats } };
  }
}
