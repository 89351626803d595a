// Package inventory → vulnerability findings, against a loaded advisory snapshot.
// One finding per (vulnerability group, installed package), carrying the package's layer.
import type { EnvelopeVulnerability } from '#domain/envelope/envelope-schema.ts';
import type { OsInfo, Package } from '../model/package.ts';
import { lookupFor } from './ecosystem-for-package.ts';
import { groupAdvisories, type AdvisoryGroup, type MatchedAdvisory } from './group-aliases.ts';
import { evaluateAffected } from './osv-ranges.ts';
import type { AdvisorySnapshot } from './snapshot-reader.ts';
import { severityRank } from './severity.ts';
import type { StoredEntry } from './stored-advisory.ts';
import { InvalidVersionError, schemeForEcosystem, type Compare } from './versions/index.ts';

export interface MatchResult {
  vulnerabilities: EnvelopeVulnerability[];
  /** Packages that could not be evaluated (unparseable version, unknown release). */
  warnings: string[];
}

const MAX_REFERENCES = 256;
const OS_TYPES = new Set(['deb', 'apk', 'rpm']);
const MAX_ALIASES = 256;

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
  const members = [...group.members].sort((a, b) => (a.advisory.id < b.advisory.id ? -1 : 1));
  let top = members[0]!.advisory;
  for (const { advisory } of members) {
    const better = (advisory.cvss ?? -1) > (top.cvss ?? -1) || ((advisory.cvss ?? -1) === (top.cvss ?? -1) && severityRank(advisory.severity) > severityRank(top.severity));
    if (better) top = advisory;
  }
  const severity = members.reduce((s, m) => (severityRank(m.advisory.severity) > severityRank(s) ? m.advisory.severity : s), top.severity);
  const aliases = [...new Set(members.flatMap((m) => [m.advisory.id, ...(m.advisory.aliases ?? [])]))].filter((id) => id !== group.id).sort().slice(0, MAX_ALIASES);
  const references = [...new Set(members.flatMap((m) => m.advisory.references ?? []))].slice(0, MAX_REFERENCES);
  const fix = groupFix(group, compare);
  const title = members.find((m) => m.advisory.title)?.advisory.title;
  const epss = Math.max(-1, ...members.map((m) => m.advisory.epss ?? -1));
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
    ...(members.some((m) => m.advisory.knownExploited) ? { knownExploited: true } : {}),
    ...(epss >= 0 ? { epss } : {}),
  };
}

export function compareVulnerabilities(a: EnvelopeVulnerability, b: EnvelopeVulnerability): number {
  const s = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return s(a.package, b.package) || s(a.version, b.version) || s(a.purl ?? '', b.purl ?? '') || s(a.id, b.id);
}

export function matchPackages(snapshot: AdvisorySnapshot, packages: readonly Package[], os?: OsInfo): MatchResult {
  const vulnerabilities: EnvelopeVulnerability[] = [];
  const warnings = new Set<string>();
  // Many binary packages share one source package: parse its entries once.
  const entryCache = new Map<string, StoredEntry[]>();
  const entriesFor = (ecosystem: string, name: string): StoredEntry[] => {
    const key = `${ecosystem}\0${name}`;
    let entries = entryCache.get(key);
    if (!entries) entryCache.set(key, (entries = snapshot.entries(ecosystem, name)));
    return entries;
  };
  const osMissing = new Set<string>();
  const known = new Set(snapshot.ecosystems);
  for (const pkg of packages) {
    const lookup = lookupFor(pkg, os, snapshot.ecosystems);
    if (!lookup) continue;
    // An OS release the data does not cover is worth saying once; silence would read as "clean".
    if (OS_TYPES.has(pkg.type)) lookup.ecosystems = lookup.ecosystems.filter((e) => known.has(e));
    if (lookup.ecosystems.length === 0) {
      osMissing.add(pkg.type);
      continue;
    }
    const matched: MatchedAdvisory[] = [];
    let compare: Compare | undefined;
    for (const ecosystem of lookup.ecosystems) {
      compare ??= schemeForEcosystem(ecosystem).compare;
      for (const entry of entriesFor(ecosystem, lookup.name)) {
        try {
          const verdict = evaluateAffected({ ...(entry.r ? { ranges: entry.r } : {}), ...(entry.v ? { versions: entry.v } : {}) }, lookup.version, ecosystem);
          if (verdict.affected) matched.push({ advisory: snapshot.advisory(entry.a), ...(verdict.fixedVersion ? { fixedVersion: verdict.fixedVersion } : {}) });
        } catch (error) {
          if (!(error instanceof InvalidVersionError)) throw error;
          warnings.add(`${pkg.name} ${pkg.version}: not evaluated against ${snapshot.advisory(entry.a).id} (${error.message})`);
        }
      }
    }
    if (matched.length === 0) continue;
    // Two releases' ecosystems (Red Hat streams) can hold the same advisory twice.
    const unique = [...new Map(matched.map((m) => [m.advisory.id, m])).values()];
    for (const group of groupAdvisories(unique)) vulnerabilities.push(toVulnerability(group, pkg, compare!));
  }
  for (const type of [...osMissing].sort()) {
    warnings.add(`${type} packages not matched: the snapshot has no advisories for ${os ? `${os.id} ${os.versionId ?? '(no VERSION_ID)'}` : 'an unknown distribution'}`);
  }
  return { vulnerabilities: vulnerabilities.sort(compareVulnerabilities), warnings: [...warnings] };
}
