// What every list's query parameters share (GET /api/scans, /api/images, /api/vulnerabilities):
// pages, sort orders, searches and comma-separated lists, each error naming its parameter.
import type { IssueDetail } from '#shared/errors.ts';

export type SortDirection = 'asc' | 'desc';
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

/** Unknown parameters are errors; `page` (1…) and `limit` (1–200, default 50). */
export function pageParams(params: Record<string, string | undefined>, known: ReadonlySet<string>, issues: IssueDetail[]): { page: number; limit: number } {
  for (const name of Object.keys(params)) if (!known.has(name)) issues.push({ path: name, message: 'unknown query parameter' });
  return { page: integer(params.page, 'page', 1, MAX_PAGE, 1, issues), limit: integer(params.limit, 'limit', 1, 200, 50, issues) };
}

/** `sort=field[:asc|desc]`, each field with its own default direction; `fallback` when absent or invalid. */
export function sortParam<F extends string>(
  value: string | undefined,
  directions: Record<F, SortDirection>,
  fallback: { field: F; direction: SortDirection },
  issues: IssueDetail[],
): { field: F; direction: SortDirection } {
  if (value === undefined) return fallback;
  const fields = Object.keys(directions) as F[];
  const [field, direction, extra] = value.split(':');
  if (extra !== undefined || !fields.includes(field as F) || (direction !== undefined && direction !== 'asc' && direction !== 'desc')) {
    issues.push({ path: 'sort', message: `must be field[:asc|desc] with field one of ${fields.join(', ')}` });
    return fallback;
  }
  return { field: field as F, direction: direction ?? directions[field as F] };
}

/** A comma-separated list of allowed values. */
export function listOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[], issues: IssueDetail[]): T[] | undefined {
  if (value === undefined) return undefined;
  const listed = value.split(',');
  if (listed.every((v) => (allowed as readonly string[]).includes(v))) return listed as T[];
  issues.push({ path: name, message: `must be a comma-separated list of ${allowed.join(', ')}` });
  return undefined;
}
