// What the snapshot keeps of an OSV record: the advisory's identity, severity and links
// once, and per affected package only what matching needs (ranges and versions).
import type { Severity } from '#domain/envelope/envelope-schema.ts';
import type { OsvRange } from './osv-ranges.ts';
import type { OsvRecord } from './osv-record.ts';
import type { Hit, OrderKind, VersionOrder } from './version-order.ts';
import { scoreRecord } from './severity.ts';

export interface StoredAdvisory {
  id: string;
  /** aliases and upstream ids: CVE, GHSA, DSA… the grouping of findings works on these. */
  aliases?: string[];
  modified: string;
  severity: Severity;
  cvss?: number;
  cvssVector?: string;
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
  /** Present when the key's versions could be ranked at build time (version-order.ts). */
  kind?: OrderKind;
  order?: VersionOrder;
}

export interface Enrichment {
  kev: ReadonlySet<string>;
  epss: ReadonlyMap<string, number>;
}

const MAX_REFERENCES = 32;

export function identifiers(advisory: Pick<StoredAdvisory, 'id' | 'aliases'>): string[] {
  return [advisory.id, ...(advisory.aliases ?? [])];
}

export function toStoredAdvisory(record: OsvRecord, enrichment?: Enrichment): StoredAdvisory {
  const aliases = [...new Set([...(record.aliases ?? []), ...(record.upstream ?? [])])].filter((a) => a !== record.id).sort();
  const scored = scoreRecord(record);
  const title = (record.summary ?? record.details?.split('\n', 1)[0] ?? '').trim().slice(0, 512);
  const references = [...new Set((record.references ?? []).map((r) => r.url).filter((u) => typeof u === 'string' && u.length <= 2048))].slice(0, MAX_REFERENCES);
  const advisory: StoredAdvisory = {
    id: record.id,
    ...(aliases.length > 0 ? { aliases } : {}),
    modified: record.modified,
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
