// An advisory that rates nothing itself (a PYSEC record whose GHSA alias has a CVSS vector, a
// distribution record with no urgency) takes its severity from the best-rated advisory of the
// same snapshot that shares one of its identifiers, before falling back to INFO. Only unrated
// records inherit: a distribution that rated a CVE "unimportant" keeps its own verdict. One hop
// only, so the result does not depend on the order records were read in.
import { severityRank } from '#shared/matching/severity.ts';
import { identifiers, type StoredAdvisory } from '#shared/matching/stored-advisory.ts';

const better = (a: StoredAdvisory, b: StoredAdvisory | undefined): boolean =>
  !b || severityRank(a.severity) > severityRank(b.severity) || (a.severity === b.severity && (a.cvss ?? -1) > (b.cvss ?? -1));

/** Fills unrated advisories in place; how many took an alias's severity. */
export function inheritAliasSeverity(advisories: readonly StoredAdvisory[]): number {
  const bestFor = new Map<string, StoredAdvisory>();
  for (const advisory of advisories) {
    if (advisory.unrated) continue;
    for (const id of identifiers(advisory)) if (better(advisory, bestFor.get(id))) bestFor.set(id, advisory);
  }
  let inherited = 0;
  for (const advisory of advisories) {
    if (!advisory.unrated) continue;
    let source: StoredAdvisory | undefined;
    for (const id of identifiers(advisory)) {
      const candidate = bestFor.get(id);
      if (candidate && candidate !== advisory && better(candidate, source)) source = candidate;
    }
    if (!source) continue;
    advisory.severity = source.severity;
    if (source.cvss !== undefined) advisory.cvss = source.cvss;
    if (source.cvssVector !== undefined) advisory.cvssVector = source.cvssVector;
    inherited++;
  }
  return inherited;
}
