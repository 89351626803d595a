// What the snapshot keeps of an OSV record: the advisory's identity, severity and links
// once, and per affected package only what matching needs (ranges and versions).
import type { Severity } from '../envelope/envelope-schema.ts';
import type { OsvRange } from './osv-ranges.ts';
import type { OsvRecord } from './osv-record.ts';
import type { Hit, OrderKind, VersionOrder } from './version-order.ts';
import { scoreRecord } from './severity.ts';

export interface StoredAdvisory {
  id: string;
  /** aliases and upstream ids: CVE, GHSA, DSA… the grouping of findings works on these. */
  aliases?: string[];
  /** Computed from the record's CVSS vectors and ratings when the snapshot is built (severity.ts). */
  severity: Severity;
  cvss?: number;
  cvssVector?: string;
  /** While the snapshot is built: the record rated nothing itself (never written to the file). */
  unrated?: true;
  title?: string;
  references?: string[];
  knownExploited?: boolean;
  epss?: number;
}

/** One affected[] entry of one advisory, filed under its (ecosystem, name) key; an OsvAffected as it is. */
export interface StoredEntry {
  /** Index of the advisory in the snapshot. */
  a: number;
  ranges?: OsvRange[];
  versions?: string[];
  /** In a ranked block, instead of ranges and versions: where it is affected (version-order.ts). */
  hits?: Hit[];
}

/** Everything filed under one (ecosystem, name) key. */
export interface KeyBlock {
  entries: StoredEntry[];
  /**
   * Present in a ranked block decoded into objects (AdvisorySnapshot.block(), for tests and
   * inspection); matching reads ranked blocks in place, as RankedBlock.
   */
  kind?: OrderKind;
  order?: VersionOrder;
}

/**
 * A ranked key block read in place from the snapshot (snapshot-reader.ts), without
 * decoding it into objects: matching asks for a few slot versions and one position.
 */
export interface RankedBlock {
  readonly kind: OrderKind;
  /** Number of slots in the key's version order. */
  readonly slots: number;
  /** The first version of slot i (the versions of one slot compare equal). */
  slotVersion(i: number): string;
  /** Appends, in entry order, each advisory affected at `position` and the fix named there. */
  affectedAt(position: number, advisories: number[], fixes: Array<string | null>): void;
}

export interface Enrichment {
  kev: ReadonlySet<string>;
  epss: ReadonlyMap<string, number>;
}

const MAX_REFERENCES = 32;

export function identifiers(advisory: Pick<StoredAdvisory, 'id' | 'aliases'>): string[] {
  return advisory.aliases ? [advisory.id].concat(advisory.aliases) : [advisory.id];
}

export function toStoredAdvisory(record: OsvRecord, enrichment?: Enrichment): StoredAdvisory {
  const aliases = [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])].filter((a) => a !== record.id).sort();
  const scored = scoreRecord(record);
  const title = (record.summary ?? record.details?.split('\n', 1)[0] ?? '').trim().slice(0, 512);
  const references = [...new Set((record.references ?? []).map((r) => r.url).filter((u) => typeof u === 'string' && u.length <= 2048))].slice(
    0,
    MAX_REFERENCES,
  );
  const advisory: StoredAdvisory = {
    id: record.id,
    ...(aliases.length > 0 ? { aliases } : {}),
    ...scored,
    ...(title ? { title } : {}),
    ...(references.length > 0 ? { references } : {}),
  };
  if (enrichment) {
    const cves = identifiers(advisory).filter((id) => id.startsWith('CVE-'));
    if (cves.some((c) => enrichment.kev.has(c))) advisory.knownExploited = true;
    const epss = Math.max(-1, ...cves.map((c) => enrichment.epss.get(c) ?? -1));
    if (epss >= 0) advisory.epss = epss;
  }
  return advisory;
}

// GIT ranges name commits; they can never match an installed version.
export function toStoredEntry(index: number, affected: { ranges?: OsvRange[]; versions?: string[] }): StoredEntry | undefined {
  const ranges = (affected.ranges ?? []).filter((r) => r.type === 'ECOSYSTEM' || r.type === 'SEMVER').map((r) => ({ type: r.type, events: r.events }));
  const versions = affected.versions ?? [];
  if (ranges.length === 0 && versions.length === 0) return undefined;
  return { a: index, ...(ranges.length > 0 ? { ranges } : {}), ...(versions.length > 0 ? { versions } : {}) };
}

// The snapshot's record of an advisory: a JSON array in ADVISORY_FIELDS order
// (snapshot-format.ts), parsed once per matched advisory. A few thousand CVSS vectors
// recur across hundreds of thousands of records: the record names its vector by its id
// in the snapshot's string pool.
type AdvisoryRecord = [
  id: string,
  aliases: string[],
  severity: Severity,
  cvss: number | null,
  cvssVector: number | null,
  title: string | null,
  references: string[],
  knownExploited: 0 | 1,
  epss: number | null,
];

// JSON with every non-ASCII character escaped: a record's bytes are its characters, so a
// reader decodes it as Latin-1 (a copy, no UTF-8 decoding) straight from the file's bytes.
const NON_ASCII = /[\u0080-\uffff]/g;
const escapeChar = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

export function encodeAdvisory(a: StoredAdvisory, pool: (value: string) => number): string {
  const record: AdvisoryRecord = [
    a.id,
    a.aliases ?? [],
    a.severity,
    a.cvss ?? null,
    a.cvssVector === undefined ? null : pool(a.cvssVector),
    a.title ?? null,
    a.references ?? [],
    a.knownExploited ? 1 : 0,
    a.epss ?? null,
  ];
  return JSON.stringify(record).replace(NON_ASCII, escapeChar);
}

// Every decoded advisory has the same properties (absent ones undefined), so the code
// that reads them sees one object shape.
// (Indexed reads, not destructuring: destructuring walks an iterator until the code is hot.)
export function decodeAdvisory(json: string, pooled: (id: number) => string): StoredAdvisory {
  const r = JSON.parse(json) as AdvisoryRecord;
  return {
    id: r[0],
    aliases: r[1].length > 0 ? r[1] : undefined,
    severity: r[2],
    cvss: r[3] ?? undefined,
    cvssVector: r[4] === null ? undefined : pooled(r[4]),
    title: r[5] ?? undefined,
    references: r[6].length > 0 ? r[6] : undefined,
    knownExploited: r[7] === 1 ? true : undefined,
    epss: r[8] ?? undefined,
  };
}
