// GET /api/scans: one Query on the list index for the requested order and filter, reading only
// the rows up to the requested page, and the total from the counters (docs/DYNAMODB.md).
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ScanListQuery } from '#domain/scans/list-query.ts';
import { toListItem, type ScanListItem } from '#domain/scans/scan.ts';
import { report } from '../capacity.ts';
import { indexKeyNames, LIST_INDEXES } from '../table-design.ts';
import { countScans } from './counters.ts';
import { listPartition } from './scan-item.ts';
import type { ScanTable } from './table.ts';

const ORDER_OF_SORT = { scannedAt: 'time', compliance: 'grade', riskScore: 'risk' } as const;

function indexFor(query: ScanListQuery) {
  // Within one status, the status order is the time order.
  const order = query.sort.field === 'status' ? (query.status ? 'time' : 'status') : ORDER_OF_SORT[query.sort.field];
  return LIST_INDEXES.find((index) => index.partition === (query.status ? 'orgStatus' : 'org') && index.order === order)!;
}

export async function listScans(table: ScanTable, orgId: string, query: ScanListQuery): Promise<{ items: ScanListItem[]; total: number }> {
  const index = indexFor(query);
  const offset = (query.page - 1) * query.limit;
  const wanted = offset + query.limit;
  const input: QueryCommandInput = {
    TableName: table.tableName,
    IndexName: index.name,
    KeyConditionExpression: '#pk = :pk',
    ExpressionAttributeNames: { '#pk': indexKeyNames(index).pk },
    ExpressionAttributeValues: { ':pk': listPartition(orgId, query.status) },
    ScanIndexForward: query.sort.direction === 'asc',
    ReturnConsumedCapacity: 'TOTAL',
  };
  const filters: string[] = [];
  if (query.search) {
    filters.push('contains(searchText, :q)');
    input.ExpressionAttributeValues![':q'] = query.search;
  }
  if (query.trigger) {
    filters.push(query.trigger === 'api' ? 'attribute_not_exists(#trigger)' : '#trigger.kind = :trigger');
    input.ExpressionAttributeNames!['#trigger'] = 'trigger';
    if (query.trigger !== 'api') input.ExpressionAttributeValues![':trigger'] = query.trigger;
  }
  // A filter reads the whole partition, as the total has to count every match (docs/DYNAMODB.md).
  const filtered = filters.length > 0;
  if (filtered) input.FilterExpression = filters.join(' AND ');

  const rows: ScanListItem[] = [];
  let matched = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new QueryCommand({ ...input, ...(filtered ? {} : { Limit: wanted - matched }), ExclusiveStartKey: cursor }));
    report(table.observer, 'listScans', page.ConsumedCapacity);
    for (const item of page.Items ?? []) {
      if (matched >= offset && rows.length < query.limit) rows.push(toListItem(item as Parameters<typeof toListItem>[0]));
      matched += 1;
    }
    cursor = page.LastEvaluatedKey;
  } while (cursor && (filtered || matched < wanted));

  const total = filtered ? matched : await countScans(table, orgId, query.status);
  return { items: rows, total };
}
