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

// The group of one advisory naming at most one CVE.
function alone(m: MatchedAdvisory, ids: readonly string[], cve: string | undefined): AdvisoryGroup {
  return cve ? { id: cve, cveId: cve, members: [m] } : { id: primaryId(ids), members: [m] };
}

// The one CVE among ids, undefined when there is none, null when there are several.
function onlyCve(ids: readonly string[]): string | undefined | null {
  let cve: string | undefined;
  for (let i = 0; i < ids.length; i++) {
    if (!isCve(ids[i]!)) continue;
    if (cve !== undefined) return null;
    cve = ids[i];
  }
  return cve;
}

export function groupAdvisories(matched: readonly MatchedAdvisory[]): AdvisoryGroup[] {
  // The common case: advisories that share no identifier and name at most one CVE each
  // (one per vulnerability, as GHSA and distribution CVE records are): one group each,
  // in the order matched, as the union-find below would give. No union-find needed.
  if (matched.length <= 8) {
    const seen: string[] = [];
    const groups: AdvisoryGroup[] = [];
    for (let i = 0; i < matched.length; i++) {
      const ids = identifiers(matched[i]!.advisory);
      const cve = onlyCve(ids);
      if (cve === null || ids.some((id) => seen.includes(id))) break;
      for (let j = 0; j < ids.length; j++) seen.push(ids[j]!);
      groups.push(alone(matched[i]!, ids, cve));
    }
    if (groups.length === matched.length) return groups;
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
