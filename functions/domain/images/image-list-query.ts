// GET /api/images query parameters: parsed, defaulted and validated as the scans list's are,
// each error naming its parameter.
import { COMPLIANCE_GRADES, type ComplianceGrade } from '#shared/envelope/envelope-schema.ts';
import { ValidationError, type IssueDetail } from '#shared/errors.ts';
import { integer, listOf, pageParams, searchParam, sortParam, type SortDirection } from '../lists/query-params.ts';

export const IMAGE_SORT_FIELDS = ['name', 'lastScannedAt', 'riskScore'] as const;
export type ImageSortField = (typeof IMAGE_SORT_FIELDS)[number];

export interface ImageListQuery {
  page: number;
  limit: number;
  sort: { field: ImageSortField; direction: SortDirection };
  /** Only repositories of this registry host (lower-cased). */
  registry?: string;
  /** Only repositories whose latest scan scored at least this. */
  minRisk?: number;
  /** Only repositories whose latest scan has one of these grades. */
  grades?: ComplianceGrade[];
  /** Lower-cased; matches the repository name or one of its tags. */
  search?: string;
}

const KNOWN = new Set(['page', 'limit', 'sort', 'registry', 'minRisk', 'grade', 'search']);
/** Names read A→Z unless asked otherwise; times and scores highest first, as the scans list's. */
const DEFAULT_DIRECTION: Record<ImageSortField, SortDirection> = { name: 'asc', lastScannedAt: 'desc', riskScore: 'desc' };

export function parseImageListQuery(params: Record<string, string | undefined>): ImageListQuery {
  const issues: IssueDetail[] = [];
  const { page, limit } = pageParams(params, KNOWN, issues);
  const sort = sortParam(params.sort, DEFAULT_DIRECTION, { field: 'name', direction: 'asc' }, issues);

  let registry: string | undefined;
  if (params.registry !== undefined) {
    if (params.registry.length === 0 || params.registry.length > 255) issues.push({ path: 'registry', message: 'must be 1–255 characters' });
    else registry = params.registry.toLowerCase();
  }
  const minRisk = params.minRisk === undefined ? undefined : integer(params.minRisk, 'minRisk', 0, 100, 0, issues);

  const grades = listOf(params.grade, 'grade', COMPLIANCE_GRADES, issues);
  const search = searchParam(params.search, issues);

  if (issues.length > 0) throw new ValidationError(`Invalid query parameter: ${issues.map((i) => i.path).join(', ')}`, issues);
  return {
    page,
    limit,
    sort,
    ...(registry ? { registry } : {}),
    ...(minRisk !== undefined ? { minRisk } : {}),
    ...(grades ? { grades } : {}),
    ...(search ? { search } : {}),
  };
}
