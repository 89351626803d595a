// A scan as one item: its summary, the key pair of every list index (one per list order, so a
// page costs the page) and, while it is active, its place in the reaper's index.
import { ACTIVE_STATUSES, SCAN_STATUSES, type Scan } from '#domain/scans/scan.ts';
import { ACTIVE_INDEX, indexKeyNames, LIST_INDEXES, TAG_SCANS_INDEX, type ListIndex } from '../table-design.ts';
import { orgPk, scanKey } from './keys.ts';

/** The partition of a list index for one organisation, and optionally one status. */
export const listPartition = (orgId: string, status?: string) => (status ? `${orgPk(orgId)}#${status}` : orgPk(orgId));

/** The partition of the scans-by-tag index: one tag's scans. */
export const tagScansPartition = (orgId: string, tagId: string) => `${orgPk(orgId)}#${tagId}`;

/** What an order key reads of a scan: the fields every list index and the scans-by-tag index project. */
export type OrderFields = Pick<Scan, 'id' | 'status' | 'compliance' | 'riskScore' | 'scannedAt' | 'requestedAt'>;

/** Order components, each fixed-width or terminated so that string order is the intended order. */
export function orderKey(index: Pick<ListIndex, 'order'>, scan: OrderFields): string {
  const time = `${scan.scannedAt ?? scan.requestedAt}#${scan.id}`;
  switch (index.order) {
    case 'time':
      return time;
    case 'status':
      return `${SCAN_STATUSES.indexOf(scan.status)}#${time}`;
    // Scans without a grade or score yet sort after every value ascending (first descending).
    case 'grade':
      return `${scan.compliance ?? '~'}#${time}`;
    case 'risk':
      return `${scan.riskScore === null ? '~~~' : String(scan.riskScore).padStart(3, '0')}#${time}`;
  }
}

function listKeys(scan: Scan): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const index of LIST_INDEXES) {
    const names = indexKeyNames(index);
    keys[names.pk] = listPartition(scan.orgId, index.partition === 'org' ? undefined : scan.status);
    keys[names.sk] = orderKey(index, scan);
  }
  keys[TAG_SCANS_INDEX.pk] = tagScansPartition(scan.orgId, scan.tagId);
  keys[TAG_SCANS_INDEX.sk] = orderKey({ order: 'time' }, scan);
  return keys;
}

export function toScanItem(scan: Scan): Record<string, unknown> {
  const searchText = [scan.id, scan.image.name, scan.image.tag, scan.image.digest].filter(Boolean).join(' ').toLowerCase();
  const active =
    ACTIVE_STATUSES.includes(scan.status) && scan.deadline
      ? { [ACTIVE_INDEX.pk]: 'ACTIVE', [ACTIVE_INDEX.sk]: `${scan.deadline}#${scan.orgId}#${scan.id}` }
      : {};
  return { ...scanKey(scan.orgId, scan.id), entity: 'scan', ...scan, searchText, ...listKeys(scan), ...active };
}

const SCAN_FIELDS = [
  'id',
  'orgId',
  'tagId',
  'image',
  'status',
  'scanners',
  'compliance',
  'riskScore',
  'duration',
  'scannedAt',
  'requestedAt',
  'updatedAt',
  'source',
  'trigger',
  'progress',
  'severityCounts',
  'deadline',
  'startedAt',
  'taskArn',
  'failure',
  'ingestDigest',
  'pendingIngest',
  'matching',
] as const satisfies ReadonlyArray<keyof Scan>;

export function fromScanItem(item: Record<string, unknown>): Scan {
  const scan: Record<string, unknown> = {};
  for (const field of SCAN_FIELDS) if (item[field] !== undefined) scan[field] = item[field];
  return scan as unknown as Scan;
}
