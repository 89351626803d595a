// The versions one package's advisories mention, ordered when the snapshot is built, and
// each advisory's verdict precomputed for every place an installed version can take among
// them (by osv-ranges.ts itself, over ranks). Matching is then a binary search per package
// instead of parsing versions again and again. Built only when every range of the package
// uses one order and every version parses; other packages are evaluated directly.
import { compareSemverRange, evaluateAffected, type Comparators, type OsvAffected } from './osv-ranges.ts';
import type { RankedBlock } from './stored-advisory.ts';
import { InvalidVersionError, schemeForEcosystem, type Compare, type Comparison } from './versions/index.ts';

/** Versions in ascending order; versions that compare equal ("2.3", "2.3.0") share a slot. */
export type VersionOrder = Array<string | string[]>;

export type OrderKind = 'ECOSYSTEM' | 'SEMVER';

function kindOf(entries: readonly OsvAffected[]): OrderKind | undefined {
  const kinds = new Set<string>();
  for (const e of entries) {
    for (const r of e.ranges ?? []) kinds.add(r.type);
    if ((e.versions ?? []).length > 0) kinds.add('ECOSYSTEM');
  }
  return kinds.size === 1 ? ([...kinds][0] as OrderKind) : undefined;
}

export function orderCompare(kind: OrderKind, ecosystem: string): Compare {
  return kind === 'SEMVER' ? compareSemverRange : schemeForEcosystem(ecosystem).compare;
}

// Every version an entry compares the installed one with. "introduced: 0" is minus
// infinity, and a limit of "*" is plus infinity: osv-ranges.ts never compares either.
function versionsOf(entry: OsvAffected): string[] {
  const out: string[] = [];
  for (const r of entry.ranges ?? []) {
    for (const ev of r.events) {
      if (ev.introduced !== undefined && ev.introduced !== '0') out.push(ev.introduced);
      for (const v of [ev.fixed, ev.last_affected, ev.limit]) if (v !== undefined && v !== '*') out.push(v);
    }
  }
  return [...out, ...(entry.versions ?? [])];
}

// undefined when the package cannot be ranked (mixed range types, an unparseable version):
// such a package is evaluated by comparing versions directly.
export function buildOrder(entries: readonly OsvAffected[], ecosystem: string): { kind: OrderKind; order: VersionOrder } | undefined {
  const kind = kindOf(entries);
  if (!kind) return undefined;
  const compare = orderCompare(kind, ecosystem);
  const all = new Set<string>();
  for (const e of entries) for (const v of versionsOf(e)) all.add(v);
  let sorted: string[];
  try {
    sorted = [...all].sort(compare);
  } catch (error) {
    if (error instanceof InvalidVersionError) return undefined;
    throw error;
  }
  const order: VersionOrder = [];
  for (const v of sorted) {
    const last = order.at(-1);
    const head = Array.isArray(last) ? last[0]! : last;
    if (head !== undefined && compare(head, v) === 0) order[order.length - 1] = [...(Array.isArray(last) ? last : [last!]), v];
    else order.push(v);
  }
  return { kind, order };
}

/**
 * Where a version sits among a package's ordered versions: 2·i+1 when it equals slot i,
 * 2·i when it lies between slot i−1 and slot i (2·n above the last). Throws
 * InvalidVersionError when the version does not parse.
 */
export function position(order: VersionOrder, compare: Compare, version: string): number {
  return positionIn({ slots: order.length, slotVersion: (i) => slotHead(order[i]!) }, compare, version);
}

/** position() over a block's slots read through `slotVersion` (a block read in place). */
export function positionIn(block: Pick<RankedBlock, 'slots' | 'slotVersion'>, compare: Compare, version: string): number {
  let lo = 0;
  let hi = block.slots;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compare(version, block.slotVersion(mid));
    if (c === 0) return 2 * mid + 1;
    if (c > 0) lo = mid + 1;
    else hi = mid;
  }
  return 2 * lo;
}

const slotHead = (slot: string | string[]): string => (Array.isArray(slot) ? slot[0]! : slot);

// A stand-in for "the installed version" that no real version string can equal.
const INSTALLED = '\0installed';

function rankComparators(ranks: ReadonlyMap<string, number>, pos: number): Comparators {
  const installedRank = pos % 2 === 1 ? (pos - 1) / 2 : pos / 2 - 0.5;
  const rank = (v: string): number => {
    if (v === INSTALLED) return installedRank;
    const r = ranks.get(v);
    if (r === undefined) throw new Error(`version ${v} is not in the package's order`);
    return r;
  };
  const byRank = (a: string, b: string): Comparison => {
    const d = rank(a) - rank(b);
    return d < 0 ? -1 : d > 0 ? 1 : 0;
  };
  return { ecosystem: byRank, semver: byRank };
}

/** Positions [from, to] (inclusive) where an entry is affected, and the fix osv-ranges.ts names there. */
export type Hit = [from: number, to: number, fix: string | null];

/**
 * Evaluates one affected[] entry with osv-ranges.ts itself, over ranks, and keeps the
 * positions where it is affected. The verdict can change only at the entry's own
 * versions, so one evaluation per stretch between them is enough. Matching then needs one
 * binary search per package and integer tests per advisory, with the same answers.
 */
export function compileHits(entry: OsvAffected, ecosystem: string, order: VersionOrder, ranks: ReadonlyMap<string, number>): Hit[] {
  const own = [...new Set(versionsOf(entry).map((v) => ranks.get(v)!))].sort((a, b) => a - b);
  const stretches: Array<[number, number]> = [];
  let start = 0;
  for (const slot of own) {
    if (2 * slot >= start) stretches.push([start, 2 * slot]);
    stretches.push([2 * slot + 1, 2 * slot + 1]);
    start = 2 * slot + 2;
  }
  if (start <= 2 * order.length) stretches.push([start, 2 * order.length]);
  const hits: Hit[] = [];
  for (const [from, to] of stretches) {
    const verdict = evaluateAffected(entry, INSTALLED, ecosystem, rankComparators(ranks, from));
    if (!verdict.affected) continue;
    const fix = verdict.fixedVersion ?? null;
    const last = hits.at(-1);
    if (last && last[1] === from - 1 && last[2] === fix) last[1] = to;
    else hits.push([from, to, fix]);
  }
  return hits;
}

export function ranksOf(order: VersionOrder): Map<string, number> {
  const ranks = new Map<string, number>();
  order.forEach((slot, i) => {
    for (const v of Array.isArray(slot) ? slot : [slot]) ranks.set(v, i);
  });
  return ranks;
}
