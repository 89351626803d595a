// Groups the advisories that matched one package into vulnerabilities: a CVE, its GHSA,
// the distribution's DEBIAN-CVE/ALPINE-CVE record… are one finding, named by the CVE.
// A record naming several CVEs (a DSA, DLA or RHSA fixing a batch) does not merge them:
// it joins each of those CVEs' groups as a source.
import { identifiers, type StoredAdvisory } from './stored-advisory.ts';

export interface MatchedAdvisory {
  advisory: StoredAdvisory;
  fixedVersion?: string;
}

export interface AdvisoryGroup {
  /** The CVE when there is one, else the group's most specific id. */
  id: string;
  cveId?: string;
  members: MatchedAdvisory[];
}

const isCve = (id: string): boolean => id.startsWith('CVE-');

// Without a CVE, prefer the cross-ecosystem GitHub id, then the smallest id for stability.
function primaryId(ids: readonly string[]): string {
  return [...ids].sort((a, b) => Number(b.startsWith('GHSA-')) - Number(a.startsWith('GHSA-')) || (a < b ? -1 : a > b ? 1 : 0))[0]!;
}

export function groupAdvisories(matched: readonly MatchedAdvisory[]): AdvisoryGroup[] {
  // The common case, one advisory with at most one CVE: no union-find needed.
  if (matched.length === 1) {
    const m = matched[0]!;
    const cves = identifiers(m.advisory).filter(isCve);
    if (cves.length <= 1) return [{ id: cves[0] ?? primaryId(identifiers(m.advisory)), ...(cves[0] ? { cveId: cves[0] } : {}), members: [m] }];
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root) ?? (parent.set(root, root), root);
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  const bundles = new Set<MatchedAdvisory>();
  for (const m of matched) {
    const ids = identifiers(m.advisory);
    if (ids.filter(isCve).length > 1) {
      bundles.add(m);
      continue;
    }
    for (const id of ids) union(ids[0]!, id);
  }
  const groups = new Map<string, { ids: Set<string>; members: MatchedAdvisory[] }>();
  const groupOf = (id: string) => {
    const root = find(id);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { ids: new Set(), members: [] }));
    return g;
  };
  for (const m of matched) {
    if (bundles.has(m)) continue;
    const g = groupOf(m.advisory.id);
    for (const id of identifiers(m.advisory)) g.ids.add(id);
    g.members.push(m);
  }
  for (const m of bundles) {
    for (const cve of identifiers(m.advisory).filter(isCve)) {
      const g = groupOf(cve);
      g.ids.add(cve);
      g.members.push(m);
    }
  }
  return [...groups.values()].map(({ ids, members }) => {
    const cves = [...ids].filter(isCve).sort();
    const cveId = cves[0];
    return { id: cveId ?? primaryId([...ids]), ...(cveId ? { cveId } : {}), members };
  });
}
