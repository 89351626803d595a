// Package inventory → vulnerability findings, against a loaded advisory snapshot.
// One finding per (vulnerability group, installed package), carrying the package's layer.
import { isOsPackageType } from '../ecosystems/ecosystem-of.ts';
import type { EnvelopeVulnerability } from '../envelope/envelope-schema.ts';
import type { OsInfo, Package } from '../packages/package.ts';
import { lookupFor } from './ecosystem-for-package.ts';
import { groupAdvisories, type AdvisoryGroup, type MatchedAdvisory } from './group-aliases.ts';
import { compareSemverRange, evaluateAffected, type Comparators } from './osv-ranges.ts';
import { severityRank } from './severity.ts';
import type { KeyBlock, RankedBlock, StoredAdvisory } from './stored-advisory.ts';
import { orderCompare, positionIn, type OrderKind } from './version-order.ts';
import { InvalidVersionError, schemeForEcosystem, type Compare } from './versions/index.ts';

/** What matching reads: the snapshot file (snapshot-reader.ts), or any in-memory index. */
export interface AdvisoryIndex {
  readonly ecosystems: readonly string[];
  /**
   * What is filed under (ecosystem, name): a ranked block (read in place), or plain
   * entries to evaluate per version; undefined when nothing is.
   */
  lookup(ecosystem: string, name: string): RankedBlock | KeyBlock | undefined;
  /** The advisories with these indices, in that order; a package's are read together. */
  advisories(indices: readonly number[]): StoredAdvisory[];
}

export interface MatchResult {
  vulnerabilities: EnvelopeVulnerability[];
  /** Packages that could not be evaluated (unparseable version, unknown release). */
  warnings: string[];
}

const MAX_REFERENCES = 256;
const MAX_ALIASES = 256;

/**
 * A key's block looked up once per run, with the order its versions compare in. An OS
 * package's block also keeps what it matched last: the binaries of one source package
 * share its block and, built from one source version, its position and advisories.
 */
type PreparedBlock = ({ ranked: RankedBlock; plain?: undefined } | { ranked?: undefined; plain: KeyBlock }) & {
  compare: Compare;
  last?: { pos: number; matched: MatchedAdvisory[] };
};

// Members may disagree on the fix (a DSA and the CVE record); the greatest of their fixes
// is the first version that clears every one of them.
function groupFix(group: AdvisoryGroup, compare: Compare): string | undefined {
  let fix: string | undefined;
  for (const m of group.members) {
    if (m.fixedVersion === undefined) continue;
    try {
      if (fix === undefined || compare(m.fixedVersion, fix) > 0) fix = m.fixedVersion;
    } catch (error) {
      if (!(error instanceof InvalidVersionError)) throw error;
    }
  }
  return fix;
}

// Distinct values in first-seen order. A finding has a handful: small lists skip the Set.
function distinct(values: string[]): string[] {
  if (values.length > 8) return [...new Set(values)];
  const out: string[] = [];
  for (let i = 0; i < values.length; i++) if (!out.includes(values[i]!)) out.push(values[i]!);
  return out;
}

// Keys in the envelope's order, optional ones absent (not undefined), as an object literal
// with optional keys would have them: findings are the bulk of what matching allocates.
function toVulnerability(group: AdvisoryGroup, pkg: Package, compare: Compare): EnvelopeVulnerability {
  const members = group.members.length > 1 ? [...group.members].sort((a, b) => (a.advisory.id < b.advisory.id ? -1 : 1)) : group.members;
  let top = members[0]!.advisory;
  let severity = top.severity;
  let epss = -1;
  let knownExploited = false;
  let title: string | undefined;
  // Indexed loops here and below: this runs once per finding, much of it before the JIT
  // has optimised it, and unoptimised for-of steps through an iterator.
  for (let i = 0; i < members.length; i++) {
    const advisory = members[i]!.advisory;
    const better =
      (advisory.cvss ?? -1) > (top.cvss ?? -1) || ((advisory.cvss ?? -1) === (top.cvss ?? -1) && severityRank(advisory.severity) > severityRank(top.severity));
    if (better) top = advisory;
    if (severityRank(advisory.severity) > severityRank(severity)) severity = advisory.severity;
    if (advisory.epss !== undefined && advisory.epss > epss) epss = advisory.epss;
    knownExploited ||= advisory.knownExploited === true;
    title ??= advisory.title;
  }
  let aliases: string[];
  let references: string[];
  if (members.length === 1) {
    const advisory = members[0]!.advisory;
    aliases = advisory.id !== group.id ? [advisory.id] : [];
    const more = advisory.aliases ?? [];
    for (let i = 0; i < more.length; i++) if (more[i] !== group.id && !aliases.includes(more[i]!)) aliases.push(more[i]!);
    references = advisory.references ? distinct(advisory.references) : [];
  } else {
    const aliasList: string[] = [];
    const referenceList: string[] = [];
    for (const { advisory } of members) {
      if (advisory.id !== group.id) aliasList.push(advisory.id);
      for (const a of advisory.aliases ?? []) if (a !== group.id) aliasList.push(a);
      for (const r of advisory.references ?? []) referenceList.push(r);
    }
    aliases = distinct(aliasList);
    references = distinct(referenceList);
  }
  aliases.sort();
  if (aliases.length > MAX_ALIASES) aliases.length = MAX_ALIASES;
  if (references.length > MAX_REFERENCES) references.length = MAX_REFERENCES;
  const fix = group.members.length === 1 ? group.members[0]!.fixedVersion : groupFix(group, compare);
  const sources = new Array<string>(members.length);
  for (let i = 0; i < members.length; i++) sources[i] = members[i]!.advisory.id;
  let v: EnvelopeVulnerability;
  if (group.cveId && aliases.length > 0 && top.cvss !== undefined && top.cvssVector && pkg.layerDigest && references.length > 0 && title) {
    // The usual finding has every optional key up to `title`: one literal, one allocation.
    v = {
      id: group.id,
      cveId: group.cveId,
      aliases,
      severity,
      cvss: top.cvss,
      cvssVector: top.cvssVector,
      package: pkg.name,
      version: pkg.version,
      packageType: pkg.type,
      purl: pkg.purl,
      fixedVersion: fix ?? null,
      layerDigest: pkg.layerDigest,
      scanner: 'harborguard',
      sources,
      references,
      title,
    };
  } else {
    v = { id: group.id } as EnvelopeVulnerability;
    if (group.cveId) v.cveId = group.cveId;
    if (aliases.length > 0) v.aliases = aliases;
    v.severity = severity;
    if (top.cvss !== undefined) v.cvss = top.cvss;
    if (top.cvssVector) v.cvssVector = top.cvssVector;
    v.package = pkg.name;
    v.version = pkg.version;
    v.packageType = pkg.type;
    v.purl = pkg.purl;
    v.fixedVersion = fix ?? null;
    if (pkg.layerDigest) v.layerDigest = pkg.layerDigest;
    v.scanner = 'harborguard';
    v.sources = sources;
    if (references.length > 0) v.references = references;
    if (title) v.title = title;
  }
  if (knownExploited) v.knownExploited = knownExploited;
  if (epss >= 0) v.epss = epss;
  return v;
}

const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function compareVulnerabilities(a: EnvelopeVulnerability, b: EnvelopeVulnerability): number {
  return order(a.package, b.package) || order(a.version, b.version) || order(a.purl ?? '', b.purl ?? '') || order(a.id, b.id);
}

const matched = (advisory: StoredAdvisory, fixedVersion: string | null | undefined): MatchedAdvisory =>
  fixedVersion ? { advisory, fixedVersion } : { advisory };

class Matcher {
  readonly warnings = new Set<string>();
  private readonly prepared = new Map<string, Map<string, PreparedBlock | null>>();
  private readonly compares = new Map<string, Compare>();
  private readonly hitAdvisories: number[] = [];
  private readonly hitFixes: Array<string | null> = [];

  constructor(private readonly index: AdvisoryIndex) {}

  private collect(advisories: readonly number[], fixes: ReadonlyArray<string | null | undefined>, out: MatchedAdvisory[]): void {
    if (advisories.length === 0) return;
    const found = this.index.advisories(advisories);
    for (let k = 0; k < found.length; k++) out.push(matched(found[k]!, fixes[k]));
  }

  // One advisory with a version its scheme cannot parse must not hide the others.
  private matchDirect(p: PreparedBlock, ecosystem: string, label: string, version: string, out: MatchedAdvisory[]): void {
    const comparators: Comparators = { ecosystem: p.compare, semver: compareSemverRange };
    const advisories: number[] = [];
    const fixes: Array<string | undefined> = [];
    for (const entry of p.plain!.entries) {
      try {
        const verdict = evaluateAffected(entry, version, ecosystem, comparators);
        if (verdict.affected) {
          advisories.push(entry.a);
          fixes.push(verdict.fixedVersion);
        }
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
        this.warnings.add(`${label}: not evaluated against ${this.index.advisories([entry.a])[0]!.id} (${error.message})`);
      }
    }
    this.collect(advisories, fixes, out);
  }

  private compareFor(ecosystem: string, kind?: OrderKind): Compare {
    const key = kind === 'SEMVER' ? '\0SEMVER' : ecosystem;
    let compare = this.compares.get(key);
    if (!compare) this.compares.set(key, (compare = kind ? orderCompare(kind, ecosystem) : schemeForEcosystem(ecosystem).compare));
    return compare;
  }

  private lookup(ecosystem: string, name: string): PreparedBlock | null {
    const found = this.index.lookup(ecosystem, name);
    if (!found) return null;
    if ('affectedAt' in found) return { ranked: found, compare: this.compareFor(ecosystem, found.kind) };
    return { plain: found, compare: this.compareFor(ecosystem) };
  }

  // Many binary packages share one source package: an OS package's block is looked up once
  // and kept for the others (a lookup is as cheap as keeping it for anything else).
  private prepare(ecosystem: string, name: string, keep: boolean): PreparedBlock | undefined {
    if (!keep) return this.lookup(ecosystem, name) ?? undefined;
    let byName = this.prepared.get(ecosystem);
    if (!byName) this.prepared.set(ecosystem, (byName = new Map()));
    let p = byName.get(name);
    if (p === undefined) byName.set(name, (p = this.lookup(ecosystem, name)));
    return p ?? undefined;
  }

  /** `reuse`: the package is an OS package, whose block's result may serve its source's other binaries. */
  matchOne(pkg: Package, ecosystems: readonly string[], name: string, version: string, out: MatchedAdvisory[], reuse: boolean): Compare | undefined {
    let compare: Compare | undefined;
    for (const ecosystem of ecosystems) {
      const p = this.prepare(ecosystem, name, reuse);
      if (!p) continue;
      compare ??= this.compareFor(ecosystem);
      try {
        if (p.ranked) {
          const pos = positionIn(p.ranked, p.compare, version);
          if (p.last?.pos === pos) {
            for (const m of p.last.matched) out.push(m);
            continue;
          }
          const advisories = this.hitAdvisories;
          const fixes = this.hitFixes;
          advisories.length = 0;
          fixes.length = 0;
          p.ranked.affectedAt(pos, advisories, fixes);
          const from = out.length;
          this.collect(advisories, fixes, out);
          if (reuse) p.last = { pos, matched: out.slice(from) };
        } else this.matchDirect(p, ecosystem, `${pkg.name} ${pkg.version}`, version, out);
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
        this.warnings.add(`${pkg.name} ${pkg.version}: not matched against ${ecosystem} advisories (${error.message})`);
      }
    }
    return compare;
  }
}

const comparePackages = (a: Package, b: Package): number => order(a.name, b.name) || order(a.version, b.version) || order(a.purl ?? '', b.purl ?? '');
const compareIds = (a: EnvelopeVulnerability, b: EnvelopeVulnerability): number => order(a.id, b.id);

// The findings in compareVulnerabilities order. A finding's package, version and purl are
// its package's, and a package's findings are made together: sorting the packages (stably)
// and then each package's few findings by id gives the same order as sorting all findings.
function sortFindings(found: Array<{ pkg: Package; findings: EnvelopeVulnerability[] }>): EnvelopeVulnerability[] {
  found.sort((a, b) => comparePackages(a.pkg, b.pkg));
  const out: EnvelopeVulnerability[] = [];
  for (let i = 0; i < found.length;) {
    let j = i + 1;
    while (j < found.length && comparePackages(found[i]!.pkg, found[j]!.pkg) === 0) j++;
    const run = j === i + 1 ? found[i]!.findings : found.slice(i, j).flatMap((f) => f.findings);
    if (run.length > 1) run.sort(compareIds);
    for (const v of run) out.push(v);
    i = j;
  }
  return out;
}

export function matchPackages(index: AdvisoryIndex, packages: readonly Package[], os?: OsInfo): MatchResult {
  const found: Array<{ pkg: Package; findings: EnvelopeVulnerability[] }> = [];
  const matcher = new Matcher(index);
  const known = new Set(index.ecosystems);
  const osMissing = new Set<string>();
  const noLookup = new Map<string, number>();
  for (const pkg of packages) {
    // Its OS owner, matched as an OS package, carries its findings (matched-via-owner.ts).
    if (pkg.matchedVia) continue;
    const lookup = lookupFor(pkg, os, index.ecosystems);
    if (!lookup) {
      noLookup.set(pkg.type, (noLookup.get(pkg.type) ?? 0) + 1);
      continue;
    }
    // An OS release the data does not cover is worth saying once; silence would read as "clean".
    const osPackage = isOsPackageType(pkg.type);
    const ecosystems = osPackage ? lookup.ecosystems.filter((e) => known.has(e)) : lookup.ecosystems;
    if (ecosystems.length === 0) {
      osMissing.add(pkg.type);
      continue;
    }
    const matched: MatchedAdvisory[] = [];
    const compare = matcher.matchOne(pkg, ecosystems, lookup.name, lookup.version, matched, osPackage);
    if (matched.length === 0) continue;
    // Two releases' ecosystems (Red Hat streams) can hold the same advisory twice.
    const unique = ecosystems.length > 1 ? [...new Map(matched.map((m) => [m.advisory.id, m])).values()] : matched;
    const findings = groupAdvisories(unique).map((group) => toVulnerability(group, pkg, compare!));
    if (findings.length > 0) found.push({ pkg, findings });
  }
  // A type the ecosystem table has no advisories for would otherwise read as "clean".
  for (const [type, count] of [...noLookup].sort(([a], [b]) => order(a, b))) {
    matcher.warnings.add(`${count} ${type} package${count === 1 ? '' : 's'} not matched: no advisory source is known for ${type} packages (shared/ecosystems)`);
  }
  for (const type of [...osMissing].sort()) {
    // The language packages these installed are matched through them only: unmatched too.
    const via = packages.filter((p) => p.matchedVia?.type === type).length;
    const also = via > 0 ? ` (nor the ${via} language package${via === 1 ? '' : 's'} they installed)` : '';
    matcher.warnings.add(
      `${type} packages${also} not matched: the snapshot has no advisories for ${os ? `${os.id} ${os.versionId ?? '(no VERSION_ID)'}` : 'an unknown distribution'}`,
    );
  }
  return { vulnerabilities: sortFindings(found), warnings: [...matcher.warnings] };
}
