// OSV `affected[]` semantics (ossf.github.io/osv-schema, "Evaluation"): whether an
// installed version falls in an entry's ranges or explicit `versions`, and the fix to
// report. Pure functions; comparisons come from the ecosystem's version scheme.
import * as semver from './versions/semver.ts';
import { InvalidVersionError, schemeForEcosystem, type Compare } from './versions/index.ts';

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface OsvRange {
  type: 'ECOSYSTEM' | 'SEMVER' | 'GIT' | (string & {});
  repo?: string;
  events: OsvEvent[];
}

export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges?: OsvRange[];
  versions?: string[];
}

export interface AffectedVerdict {
  affected: boolean;
  // The smallest `fixed` above the installed version that is itself not affected.
  fixedVersion?: string;
}

// SEMVER ranges hold SemVer 2.0.0 without a "v"; installed Go versions carry one.
const stripV = (v: string): string => (v.startsWith('v') ? v.slice(1) : v);
export const compareSemverRange: Compare = (a, b) => semver.compare(stripV(a), stripV(b));

/** The orders to evaluate with: by default the ecosystem's scheme and SemVer; version-order.ts passes orders over ranks. */
export interface Comparators {
  ecosystem: Compare;
  semver: Compare;
}

type Boundary = { kind: 'introduced' | 'fixed' | 'last_affected'; version: string };
// On equal versions an introduced event is applied first, so "introduced X, fixed X" is empty.
const KIND_ORDER = { introduced: 0, fixed: 1, last_affected: 2 } as const;

function boundaries(events: OsvEvent[]): Boundary[] {
  const out: Boundary[] = [];
  for (const e of events) {
    if (e.introduced !== undefined) out.push({ kind: 'introduced', version: e.introduced });
    if (e.fixed !== undefined) out.push({ kind: 'fixed', version: e.fixed });
    if (e.last_affected !== undefined) out.push({ kind: 'last_affected', version: e.last_affected });
  }
  return out;
}

// Events arrive unsorted: sort them by version ("introduced: 0" is minus infinity), then
// walk them; the last boundary at or below the installed version decides.
function rangeIncludes(range: OsvRange, version: string, compare: Compare): boolean {
  const limits = range.events.flatMap((e) => (e.limit === undefined ? [] : [e.limit]));
  if (limits.length > 0 && !limits.some((limit) => limit === '*' || compare(version, limit) < 0)) return false;
  const sorted = boundaries(range.events).sort((a, b) => {
    const aZero = a.kind === 'introduced' && a.version === '0';
    const bZero = b.kind === 'introduced' && b.version === '0';
    if (aZero || bZero) return aZero === bZero ? 0 : aZero ? -1 : 1;
    return compare(a.version, b.version) || KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  });
  let affected = false;
  for (const b of sorted) {
    if (b.kind === 'introduced') {
      if (b.version === '0' || compare(version, b.version) >= 0) affected = true;
    } else if (b.kind === 'fixed') {
      if (compare(version, b.version) >= 0) affected = false;
    } else if (compare(version, b.version) > 0) {
      affected = false;
    }
  }
  return affected;
}

function rangeCompare(range: OsvRange, c: Comparators): Compare | undefined {
  if (range.type === 'SEMVER') return c.semver;
  if (range.type === 'ECOSYSTEM') return c.ecosystem;
  return undefined; // GIT ranges name commits, not package versions
}

// Entries of `versions` that the scheme cannot parse (PyPI lists keep legacy versions)
// can only match by exact string; they must not make the whole advisory unusable.
function listedEqual(listed: string, version: string, compare: Compare): boolean {
  if (listed === version) return true;
  try {
    return compare(listed, version) === 0;
  } catch (error) {
    if (error instanceof InvalidVersionError) return false;
    throw error;
  }
}

function includes(affected: OsvAffected, version: string, c: Comparators): boolean {
  for (const range of affected.ranges ?? []) {
    const compare = rangeCompare(range, c);
    if (compare && rangeIncludes(range, version, compare)) return true;
  }
  return (affected.versions ?? []).some((listed) => listedEqual(listed, version, c.ecosystem));
}

function comparatorsFor(affected: OsvAffected, ecosystem: string | undefined): Comparators {
  return { ecosystem: schemeForEcosystem(ecosystemOf(affected, ecosystem)).compare, semver: compareSemverRange };
}

function ecosystemOf(affected: OsvAffected, ecosystem: string | undefined): string {
  const name = ecosystem ?? affected.package?.ecosystem;
  if (name === undefined) throw new Error('OSV affected entry has no package.ecosystem');
  return name;
}

export function isAffected(affected: OsvAffected, version: string, ecosystem?: string): boolean {
  return includes(affected, version, comparatorsFor(affected, ecosystem));
}

export function evaluateAffected(affected: OsvAffected, version: string, ecosystem?: string, comparators?: Comparators): AffectedVerdict {
  const c = comparators ?? comparatorsFor(affected, ecosystem);
  if (!includes(affected, version, c)) return { affected: false };
  const candidates: Array<{ version: string; compare: Compare }> = [];
  for (const range of affected.ranges ?? []) {
    const compare = rangeCompare(range, c);
    if (!compare) continue;
    for (const e of range.events) {
      if (e.fixed !== undefined && compare(e.fixed, version) > 0) candidates.push({ version: e.fixed, compare });
    }
  }
  candidates.sort((a, b) => a.compare(a.version, b.version));
  // Overlapping ranges: a fix of one range can still sit inside another one.
  const fix = candidates.find((candidate) => !includes(affected, candidate.version, c));
  return fix ? { affected: true, fixedVersion: fix.version } : { affected: true };
}
