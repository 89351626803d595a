// Merges the vulnerability lists of several scanners into one: the same vulnerability
// (by id, CVE or any alias) in the same package and installed version is one entry, with
// the highest severity and CVSS, the union of sources, and a deterministic order.
import type { EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import { compareVulnerabilities } from '#shared/matching/match-packages.ts';
import { severityRank } from '#shared/matching/severity.ts';

const identifiers = (v: EnvelopeVulnerability): string[] => [v.id, ...(v.cveId ? [v.cveId] : []), ...(v.aliases ?? [])];

function merge(group: EnvelopeVulnerability[]): EnvelopeVulnerability {
  const ranked = [...group].sort(
    (a, b) => severityRank(b.severity) - severityRank(a.severity) || (b.cvss ?? -1) - (a.cvss ?? -1) || (a.scanner ?? '').localeCompare(b.scanner ?? ''),
  );
  const best = ranked[0]!;
  const withCvss = [...group].filter((v) => v.cvss != null).sort((a, b) => b.cvss! - a.cvss!)[0];
  const ids = new Set(group.flatMap(identifiers));
  const cveId = [...ids].filter((id) => id.startsWith('CVE-')).sort()[0];
  const id = cveId ?? best.id;
  const aliases = [...ids].filter((x) => x !== id).sort();
  const sources = [...new Set(group.flatMap((v) => [v.scanner ?? 'harborguard', ...(v.sources ?? [])]))].sort().slice(0, 64);
  const references = [...new Set(group.flatMap((v) => v.references ?? []))].slice(0, 256);
  const fixedVersion = ranked.find((v) => v.fixedVersion)?.fixedVersion ?? null;
  const layerDigest = ranked.find((v) => v.layerDigest)?.layerDigest;
  // Scanners differ in what they fill in: take each descriptive field from the best that has it.
  const purl = ranked.find((v) => v.purl)?.purl;
  const packageType = ranked.find((v) => v.packageType)?.packageType;
  const title = ranked.find((v) => v.title)?.title;
  const epss = Math.max(-1, ...group.map((v) => v.epss ?? -1));
  const { cvss: _c, cvssVector: _cv, aliases: _a, cveId: _ci, sources: _s, references: _r, layerDigest: _l, epss: _e, knownExploited: _k, ...rest } = best;
  return {
    ...rest,
    id,
    ...(cveId ? { cveId } : {}),
    ...(aliases.length > 0 ? { aliases: aliases.slice(0, 256) } : {}),
    ...(withCvss ? { cvss: withCvss.cvss, ...(withCvss.cvssVector ? { cvssVector: withCvss.cvssVector } : {}) } : {}),
    ...(purl ? { purl } : {}),
    ...(packageType ? { packageType } : {}),
    ...(title ? { title } : {}),
    fixedVersion,
    ...(layerDigest ? { layerDigest } : {}),
    sources,
    ...(references.length > 0 ? { references } : {}),
    ...(group.some((v) => v.knownExploited) ? { knownExploited: true } : {}),
    ...(epss >= 0 ? { epss } : {}),
  };
}

export function mergeVulnerabilities(lists: ReadonlyArray<readonly EnvelopeVulnerability[]>): EnvelopeVulnerability[] {
  const byPackage = new Map<string, EnvelopeVulnerability[]>();
  for (const v of lists.flat()) {
    const key = `${v.package}\0${v.version}`;
    const list = byPackage.get(key);
    if (list) list.push(v);
    else byPackage.set(key, [v]);
  }
  const merged: EnvelopeVulnerability[] = [];
  for (const list of byPackage.values()) {
    // Within one package and version, connect entries that share any identifier.
    const parent = list.map((_, i) => i);
    const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
    const owner = new Map<string, number>();
    list.forEach((v, i) => {
      for (const id of identifiers(v)) {
        const j = owner.get(id);
        if (j === undefined) owner.set(id, i);
        else parent[find(i)] = find(j);
      }
    });
    const groups = new Map<number, EnvelopeVulnerability[]>();
    list.forEach((v, i) => {
      const root = find(i);
      groups.set(root, [...(groups.get(root) ?? []), v]);
    });
    for (const group of groups.values()) merged.push(merge(group));
  }
  return merged.sort(compareVulnerabilities);
}
