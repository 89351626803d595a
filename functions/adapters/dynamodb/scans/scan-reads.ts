// Reading one scan's item: whole (consistent, as every status change reads it first) or only
// what GET /api/scans/{id}/status shows.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ScanStatusView } from '#domain/scans/scan-store.ts';
import type { Scan } from '#domain/scans/scan.ts';
import { report } from '../capacity.ts';
import { scanKey } from './keys.ts';
import { fromScanItem } from './scan-item.ts';
import type { ScanTable } from './table.ts';

export async function getScan(table: ScanTable, orgId: string, scanId: string): Promise<Scan | undefined> {
  const result = await table.client.send(
    new GetCommand({ TableName: table.tableName, Key: scanKey(orgId, scanId), ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
  );
  report(table.observer, 'getScan', result.ConsumedCapacity);
  return result.Item ? fromScanItem(result.Item) : undefined;
}

export async function getScanStatus(table: ScanTable, orgId: string, scanId: string): Promise<ScanStatusView | undefined> {
  const result = await table.client.send(
    new GetCommand({
      TableName: table.tableName,
      Key: scanKey(orgId, scanId),
      ProjectionExpression: 'id, #s, progress, failure, updatedAt',
      ExpressionAttributeNames: { '#s': 'status' },
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  report(table.observer, 'getScanStatus', result.ConsumedCapacity);
  if (!result.Item) return undefined;
  const { id, status, progress, failure, updatedAt } = result.Item as ScanStatusView;
  return { id, status, ...(progress ? { progress } : {}), ...(failure ? { failure } : {}), updatedAt };
}
