// The reaper's work list: QUEUED and IN_PROGRESS scans of every organisation, by deadline, from
// the sparse KEYS_ONLY index `activeByDeadline` (a scan leaves it when rewritten in a final state).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ACTIVE_STATUSES, type Scan } from '#domain/scans/scan.ts';
import { queryAll } from '../query-all.ts';
import { ACTIVE_INDEX } from '../table-design.ts';
import { scanIdsOfKey } from './keys.ts';
import { getScan } from './scan-reads.ts';
import type { ScanTable } from './table.ts';

/** Active scans whose deadline is before `before`, at most `limit` of them. */
export async function listOverdueScans(table: ScanTable, before: string, limit: number): Promise<Scan[]> {
  const page = await table.client.send(
    new QueryCommand({
      TableName: table.tableName,
      IndexName: ACTIVE_INDEX.name,
      KeyConditionExpression: '#pk = :active AND #sk < :before',
      ExpressionAttributeNames: { '#pk': ACTIVE_INDEX.pk, '#sk': ACTIVE_INDEX.sk },
      ExpressionAttributeValues: { ':active': 'ACTIVE', ':before': before },
      Limit: limit,
    }),
  );
  return stillActive(table, page.Items ?? []);
}

export async function listActiveScans(table: ScanTable): Promise<Scan[]> {
  const keys = await queryAll(table.client, {
    TableName: table.tableName,
    IndexName: ACTIVE_INDEX.name,
    KeyConditionExpression: '#pk = :active',
    ExpressionAttributeNames: { '#pk': ACTIVE_INDEX.pk },
    ExpressionAttributeValues: { ':active': 'ACTIVE' },
  });
  return stillActive(table, keys);
}

/** The scans behind index keys that are still active, read consistently (the index is eventually consistent). */
async function stillActive(table: ScanTable, keys: Array<Record<string, unknown>>): Promise<Scan[]> {
  const scans = await Promise.all(
    keys.map((key) => {
      const { orgId, scanId } = scanIdsOfKey(key);
      return getScan(table, orgId, scanId);
    }),
  );
  return scans.filter((scan): scan is Scan => scan !== undefined && ACTIVE_STATUSES.includes(scan.status));
}
