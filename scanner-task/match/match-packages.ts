// Package inventory → vulnerability findings, against a loaded advisory snapshot.
// One finding per (vulnerability group, installed package), carrying the package's layer.
import type { EnvelopeVulnerability } from '#domain/envelope/envelope-schema.ts';
import type { OsInfo, Package } from '../model/package.ts';
import { lookupFor } from './ecosystem-for-package.ts';
import { groupAdvisories, type AdvisoryGroup, type MatchedAdvisory } from './group-aliases.ts';
import { compareSemverRange, evaluateAffected, type Comparators } from './osv-ranges.ts';
import { severityRank } from './severity.ts';
import type { KeyBlock, StoredAdvisory } from './stored-advisory.ts';
import { orderCompare, position } from './version-order.ts';
import { InvalidVersionError, schemeForEcosystem, type Compare } from './versions/index.ts';

/** What matching reads: the snapshot file (snapshot-reader.ts), or any in-memory index. */
export interface AdvisoryIndex {
  readonly ecosystems: readonly string[];
  block(ecosystem: string, name: string): KeyBlock | undefined;
  advisory(index: number): StoredAdvisory;
}

export interface MatchResult {
  vulnerabilities: EnvelopeVulnerability[];
  /** Packages that could not be evaluated (unparseable version, unknown release). */
  warnings: string[];
}

const MAX_REFERENCES = 256;
const MAX_ALIASES = 256;
const OS_TYPES = new Set(['deb', 'apk', 'rpm']);

/** A key block decoded once per run, with the order its versions compare in. */
interface PreparedBlock {
  block: KeyBlock;
  compare: Compare;
}

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

function toVulnerability(group: AdvisoryGroup, pkg: Package, compare: Compare): EnvelopeVulnerability {
  const members = group.members.length > 1 ? [...group.members].sort((a, b) => (a.advisory.id < b.advisory.id ? -1 : 1)) : group.members;
  let top = members[0]!.advisory;
  let severity = top.severity;
  let epss = -1;
  let knownExploited = false;
  let title: string | undefined;
  for (const { advisory } of members) {
    const better = (advisory.cvss ?? -1) > (top.cvss ?? -1) || ((advisory.cvss ?? -1) === (top.cvss ?? -1) && severityRank(advisory.severity) > severityRank(top.severity));
    if (better) top = advisory;
    if (severityRank(advisory.severity) > severityRank(severity)) severity = advisory.severity;
    if (advisory.epss !== undefined && advisory.epss > epss) epss = advisory.epss;
    knownExploited ||= advisory.knownExploited === true;
    title ??= advisory.title;
  }
  const aliasSet = new Set<string>();
  const referenceSet = new Set<string>();
  for (const { advisory } of members) {
    if (advisory.id !== group.id) aliasSet.add(advisory.id);
    for (const a of advisory.aliases ?? []) if (a !== group.id) aliasSet.add(a);
    for (const r of advisory.references ?? []) referenceSet.add(r);
  }
  const aliases = [...aliasSet].sort().slice(0, MAX_ALIASES);
  const references = [...referenceSet].slice(0, MAX_REFERENCES);
  const fix = group.members.length === 1 ? group.members[0]!.fixedVersion : groupFix(group, compare);
  return {
    id: group.id,
    ...(group.cveId ? { cveId: group.cveId } : {}),
    ...(aliases.length > 0 ? { aliases } : {}),
    severity,
    ...(top.cvss !== undefined ? { cvss: top.cvss } : {}),
    ...(top.cvssVector ? { cvssVector: top.cvssVector } : {}),
    package: pkg.name,
    version: pkg.version,
    packageType: pkg.type,
    purl: pkg.purl,
    fixedVersion: fix ?? null,
    ...(pkg.layerDigest ? { layerDigest: pkg.layerDigest } : {}),
    scanner: 'harborguard',
    sources: members.map((m) => m.advisory.id),
    ...(references.length > 0 ? { references } : {}),
    ...(title ? { title } : {}),
    ...(knownExploited ? { knownExploited } : {}),
    ...(epss >= 0 ? { epss } : {}),
  };
}

const order = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

export function compareVulnerabilities(a: EnvelopeVulnerability, b: EnvelopeVulnerability): number {
  return order(a.package, b.package) || order(a.version, b.version) || order(a.purl ?? '', b.purl ?? '') || order(a.id, b.id);
}

const found = (advisory: StoredAdvisory, fixedVersion: string | null | undefined): MatchedAdvisory => (fixedVersion ? { advisory, fixedVersion } : { advisory });

class Matcher {
  readonly warnings = new Set<string>();
  private readonly prepared = new Map<string, PreparedBlock | null>();

  constructor(private readonly index: AdvisoryIndex) {}

  private matchRanked(block: KeyBlock, pos: number, out: MatchedAdvisory[]): void {
    for (const entry of block.entries) {
      for (const [from, to, fix] of entry.hits ?? []) {
        if (pos >= from && pos <= to) {
          out.push(found(this.index.advisory(entry.a), fix));
          break;
        }
      }
    }
  }

  // One advisory with a version its scheme cannot parse must not hide the others.
  private matchDirect(p: PreparedBlock, ecosystem: string, label: string, version: string, out: MatchedAdvisory[]): void {
    const comparators: Comparators = { ecosystem: p.compare, semver: compareSemverRange };
    for (const entry of p.block.entries) {
      try {
        const verdict = evaluateAffected(entry, version, ecosystem, comparators);
        if (verdict.affected) out.push(found(this.index.advisory(entry.a), verdict.fixedVersion));
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
        this.warnings.add(`${label}: not evaluated against ${this.index.advisory(entry.a).id} (${error.message})`);
      }
    }
  }

  // Many binary packages share one source package: decode its block once.
  private prepare(ecosystem: string, name: string): PreparedBlock | undefined {
    const key = `${ecosystem}\0${name}`;
    let p = this.prepared.get(key);
    if (p === undefined) {
      const block = this.index.block(ecosystem, name);
      p = block ? { block, compare: block.kind ? orderCompare(block.kind, ecosystem) : schemeForEcosystem(ecosystem).compare } : null;
      this.prepared.set(key, p);
    }
    return p ?? undefined;
  }

  matchOne(pkg: Package, ecosystems: readonly string[], name: string, version: string, out: MatchedAdvisory[]): Compare | undefined {
    let compare: Compare | undefined;
    for (const ecosystem of ecosystems) {
      const p = this.prepare(ecosystem, name);
      if (!p) continue;
      compare ??= schemeForEcosystem(ecosystem).compare;
      try {
        if (p.block.order) this.matchRanked(p.block, position(p.block.order, p.compare, version), out);
        else this.matchDirect(p, ecosystem, `${pkg.name} ${pkg.version}`, version, out);
      } catch (error) {
        if (!(error instanceof InvalidVersionError)) throw error;
        this.warnings.add(`${pkg.name} ${pkg.version}: not matched against ${ecosystem} advisories (${error.message})`);
      }
    }
    return compare;
  }
}

export function matchPackages(index: AdvisoryIndex, packages: readonly Package[], os?: OsInfo): MatchResult {
  const vulnerabilities: EnvelopeVulnerability[] = [];
  const matcher = new Matcher(index);
  const known = new Set(index.ecosystems);
  const osMissing = new Set<string>();
  for (const pkg of packages) {
    const lookup = lookupFor(pkg, os, index.ecosystems);
    if (!lookup) continue;
    // An OS release the data does not cover is worth saying once; silence would read as "clean".
    const ecosystems = OS_TYPES.has(pkg.type) ? lookup.ecosystems.filter((e) => known.has(e)) : lookup.ecosystems;
    if (ecosystems.length === 0) {
      osMissing.add(pkg.type);
      continue;
    }
    const matched: MatchedAdvisory[] = [];
    const compare = matcher.matchOne(pkg, ecosystems, lookup.name, lookup.version, matched);
    if (matched.length === 0) continue;
    // Two releases' ecosystems (Red Hat streams) can hold the same advisory twice.
    const unique = ecosystems.length > 1 ? [...new Map(matched.map((m) => [m.advisory.id, m])).values()] : matched;
    for (const group of groupAdvisories(unique)) vulnerabilities.push(toVulnerability(group, pkg, compare!));
  }
  for (const type of [...osMissing].sort()) {
    matcher.warnings.add(`${type} packages not matched: the snapshot has no advisories for ${os ? `${os.id} ${os.versionId ?? '(no VERSION_ID)'}` : 'an unknown distribution'}`);
  }
  return { vulnerabilities: vulnerabilities.sort(compareVulnerabilities), warnings: [...matcher.warnings] };
}
