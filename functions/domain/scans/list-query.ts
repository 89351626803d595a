// GET /api/scans query parameters: parsed, defaulted and validated, each error naming its parameter.
import { ValidationError, type IssueDetail } from '#shared/errors.ts';
import { pageParams, searchParam, sortParam, type SortDirection } from '../lists/query-params.ts';
import { SCAN_STATUSES, TRIGGER_KINDS, type ScanStatus, type TriggerKind } from './scan.ts';

export const SORT_FIELDS = ['scannedAt', 'status', 'compliance', 'riskScore'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

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
/** Every order reads newest, worst or highest first unless asked otherwise. */
const DEFAULT_DIRECTION: Record<SortField, SortDirection> = { scannedAt: 'desc', status: 'desc', compliance: 'desc', riskScore: 'desc' };

export function parseScanListQuery(params: Record<string, string | undefined>): ScanListQuery {
  const issues: IssueDetail[] = [];
  const { page, limit } = pageParams(params, KNOWN, issues);
  const sort = sortParam(params.sort, DEFAULT_DIRECTION, { field: 'scannedAt', direction: 'desc' }, issues);

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
