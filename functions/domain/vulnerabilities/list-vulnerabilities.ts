// The vulnerabilities views (GET /api/vulnerabilities, /api/vulnerabilities/{cveId}): the
// organisation's open vulnerabilities across current tag states, filtered, ordered and paged in
// memory over the summaries (which grow with distinct vulnerabilities, not with scans).
import { SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import type { AffectedTag, VulnerabilityCatalogue, VulnerabilitySummary } from './vulnerability-catalogue.ts';
import type { VulnerabilityListQuery, VulnerabilitySortField } from './vulnerability-list-query.ts';

export interface VulnerabilityDeps {
  vulnerabilities: VulnerabilityCatalogue;
}

const earliest = (values: Array<string | null>) => values.reduce<string | null>((min, v) => (v !== null && (min === null || v < min) ? v : min), null);
const highest = (values: Array<number | null>) => values.reduce<number | null>((max, v) => (v !== null && (max === null || v > max) ? v : max), null);

/** A vulnerability's summary from every (tag, package) it currently affects (at least one). */
export function summarise(cveId: string, affected: readonly AffectedTag[]): VulnerabilitySummary {
  const triage: VulnerabilitySummary['triage'] = {};
  for (const a of affected) triage[a.status] = (triage[a.status] ?? 0) + 1;
  return {
    cveId,
    title: affected.find((a) => a.title !== null)?.title ?? null,
    severity: SEVERITIES[Math.min(...affected.map((a) => SEVERITIES.indexOf(a.severity)))]!,
    cvss: highest(affected.map((a) => a.cvss)),
    epss: highest(affected.map((a) => a.epss)),
    knownExploited: affected.some((a) => a.knownExploited),
    fixable: affected.some((a) => a.fixedVersion !== null),
    packages: [...new Set(affected.map((a) => a.package))].sort(),
    affectedTags: new Set(affected.map((a) => a.tagId)).size,
    affectedImages: new Set(affected.map((a) => a.imageId)).size,
    firstSeenAt: earliest(affected.map((a) => a.firstSeenAt))!,
    slaDeadline: earliest(affected.map((a) => a.slaDeadline)),
    triage,
  };
}

/** Ascending order keys, ties broken by id; a missing score or deadline sorts after every value ascending (first descending), as the scans list's nulls do. */
const ORDER: Record<VulnerabilitySortField, (v: VulnerabilitySummary) => string> = {
  severity: (v) => `${SEVERITIES.length - SEVERITIES.indexOf(v.severity)}#${v.cveId}`,
  cvss: (v) => `${v.cvss === null ? '~~~' : String(Math.round(v.cvss * 10)).padStart(3, '0')}#${v.cveId}`,
  epss: (v) => `${v.epss === null ? '~' : v.epss.toFixed(5)}#${v.cveId}`,
  firstSeenAt: (v) => `${v.firstSeenAt}#${v.cveId}`,
  slaDeadline: (v) => `${v.slaDeadline ?? '~'}#${v.cveId}`,
};

function matches(v: VulnerabilitySummary, query: VulnerabilityListQuery, onImage: Set<string> | undefined): boolean {
  if (query.severities && !query.severities.includes(v.severity)) return false;
  if (query.statuses && !query.statuses.some((status) => (v.triage[status] ?? 0) > 0)) return false;
  if (query.knownExploited !== undefined && v.knownExploited !== query.knownExploited) return false;
  if (query.fixable !== undefined && v.fixable !== query.fixable) return false;
  if (query.package !== undefined && !v.packages.includes(query.package)) return false;
  if (query.cveId !== undefined && v.cveId.toUpperCase() !== query.cveId) return false;
  if (onImage && !onImage.has(v.cveId)) return false;
  const search = query.search;
  if (search && ![v.cveId, v.title ?? '', ...v.packages].some((text) => text.toLowerCase().includes(search))) return false;
  return true;
}

export async function listVulnerabilities(
  actor: Principal,
  query: VulnerabilityListQuery,
  deps: VulnerabilityDeps,
): Promise<{ items: VulnerabilitySummary[]; total: number }> {
  const onImage = query.imageId ? await deps.vulnerabilities.openOnImage(actor.orgId, query.imageId) : undefined;
  const key = ORDER[query.sort.field];
  const rows = (await deps.vulnerabilities.listSummaries(actor.orgId))
    .filter((v) => matches(v, query, onImage))
    .map((v) => ({ v, key: key(v) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (query.sort.direction === 'desc') rows.reverse();
  const offset = (query.page - 1) * query.limit;
  return { items: rows.slice(offset, offset + query.limit).map((row) => row.v), total: rows.length };
}

/** The vulnerability with every (tag, package) it currently affects, by repository, tag and package. */
export async function getVulnerability(
  actor: Principal,
  cveId: string,
  deps: VulnerabilityDeps,
): Promise<{ summary: VulnerabilitySummary; affected: AffectedTag[] }> {
  const affected = await deps.vulnerabilities.affected(actor.orgId, cveId);
  if (affected.length === 0) throw new NotFoundError(`Vulnerability ${cveId} is open on no image of the organisation`);
  const order = (a: AffectedTag) => `${a.image}\0${a.tag}\0${a.package}`;
  affected.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return { summary: summarise(cveId, affected), affected };
}
