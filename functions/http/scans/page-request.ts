// page/limit for a scan's sub-resources (vulnerabilities, packages), validated like the list's.
import { SEVERITIES, type Severity } from '#shared/envelope/envelope-schema.ts';
import { ValidationError, type IssueDetail } from '#shared/errors.ts';
import { pageLinks, pageMeta, type PageRequest } from './list-links.ts';

const MAX_LIMIT = 1000;

export function parsePageRequest(raw: Record<string, string | undefined>, extra: readonly string[]): PageRequest {
  const issues: IssueDetail[] = [];
  const integer = (name: string, fallback: number, max: number) => {
    const value = raw[name];
    if (value === undefined) return fallback;
    const n = /^[0-9]{1,7}$/.test(value) ? Number(value) : Number.NaN;
    if (!(n >= 1 && n <= max)) issues.push({ path: name, message: `must be an integer from 1 to ${max}` });
    return n;
  };
  const request = { page: integer('page', 1, 1_000_000), limit: integer('limit', 100, MAX_LIMIT) };
  for (const name of Object.keys(raw)) {
    if (!['page', 'limit', ...extra].includes(name)) issues.push({ path: name, message: 'unknown query parameter' });
  }
  if (issues.length > 0) throw new ValidationError(`Invalid query parameter: ${issues.map((i) => i.path).join(', ')}`, issues);
  return request;
}

export function parseSeverity(value: string): Severity {
  if (!(SEVERITIES as readonly string[]).includes(value)) {
    throw new ValidationError('Invalid query parameter: severity', [{ path: 'severity', message: `must be one of ${SEVERITIES.join(', ')}` }]);
  }
  return value as Severity;
}

export function paginated<T>(basePath: string, raw: Record<string, string | undefined>, request: PageRequest, rows: readonly T[], kept: readonly string[]) {
  const meta = pageMeta(request, rows.length);
  const start = (request.page - 1) * request.limit;
  return { data: rows.slice(start, start + request.limit), meta, links: pageLinks(basePath, raw, request, meta.totalPages, kept) };
}
