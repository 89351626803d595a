// GET /api/scans query parameters: parsed, defaulted and validated, each error naming its parameter.
import { ValidationError, type IssueDetail } from '#shared/errors.ts';
import { SCAN_STATUSES, TRIGGER_KINDS, type ScanStatus, type TriggerKind } from './scan.ts';

export const SORT_FIELDS = ['scannedAt', 'status', 'compliance', 'riskScore'] as const;
export type SortField = (typeof SORT_FIELDS)[number];
export type SortDirection = 'asc' | 'desc';

export interface ScanListQuery {
  page: number;
  limit: number;
  sort: { field: SortField; direction: SortDirection };
  status?: ScanStatus;
  /** Lower-cased search text. */
  search?: string;
  /** Only scans started this way. */
  trigger?: TriggerKind;
}

const KNOWN = new Set(['page', 'limit', 'sort', 'status', 'search', 'trigger']);
export const MAX_PAGE = 1_000_000;

/** A query parameter that must be an integer within [min, max]; `fallback` when absent (or invalid, with its issue recorded). */
export function integer(value: string | undefined, name: string, min: number, max: number, fallback: number, issues: IssueDetail[]): number {
  if (value === undefined) return fallback;
  const n = /^[0-9]{1,9}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isInteger(n) || n < min || n > max) {
    issues.push({ path: name, message: `must be an integer from ${min} to ${max}` });
    return fallback;
  }
  return n;
}

/** A search: trimmed and lower-cased, 1–256 characters. */
export function searchParam(value: string | undefined, issues: IssueDetail[]): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed.length > 0 && trimmed.length <= 256) return trimmed.toLowerCase();
  issues.push({ path: 'search', message: 'must be 1–256 characters' });
  return undefined;
}

export function parseScanListQuery(params: Record<string, string | undefined>): ScanListQuery {
  const issues: IssueDetail[] = [];
  for (const name of Object.keys(params)) {
    if (!KNOWN.has(name)) issues.push({ path: name, message: 'unknown query parameter' });
  }
  const page = integer(params.page, 'page', 1, MAX_PAGE, 1, issues);
  const limit = integer(params.limit, 'limit', 1, 200, 50, issues);

  let sort: ScanListQuery['sort'] = { field: 'scannedAt', direction: 'desc' };
  if (params.sort !== undefined) {
    const [field, direction = 'desc', extra] = params.sort.split(':');
    if (extra !== undefined || !SORT_FIELDS.includes(field as SortField) || (direction !== 'asc' && direction !== 'desc')) {
      issues.push({ path: 'sort', message: `must be field:asc|desc with field one of ${SORT_FIELDS.join(', ')}` });
    } else {
      sort = { field: field as SortField, direction };
    }
  }

  let status: ScanStatus | undefined;
  if (params.status !== undefined) {
    if ((SCAN_STATUSES as readonly string[]).includes(params.status)) status = params.status as ScanStatus;
    else issues.push({ path: 'status', message: `must be one of ${SCAN_STATUSES.join(', ')}` });
  }

  const search = searchParam(params.search, issues);

  let trigger: TriggerKind | undefined;
  if (params.trigger !== undefined) {
    if ((TRIGGER_KINDS as readonly string[]).includes(params.trigger)) trigger = params.trigger as TriggerKind;
    else issues.push({ path: 'trigger', message: `must be one of ${TRIGGER_KINDS.join(', ')}` });
  }

  if (issues.length > 0) throw new ValidationError(`Invalid query parameter: ${issues.map((i) => i.path).join(', ')}`, issues);
  return { page, limit, sort, ...(status ? { status } : {}), ...(search ? { search } : {}), ...(trigger ? { trigger } : {}) };
}
