// GET /api/scans: one Query on the list index for the requested order and filter, reading only
// the rows up to the requested page, and the total from the counters (docs/DYNAMODB.md).
// A search reads the catalogue instead of the history: the tags whose repository name or tag
// matches, then only those tags' scans (and the one scan a whole scan id names).
import { GetCommand, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { ScanListQuery } from '#domain/scans/list-query.ts';
import { toListItem, type ScanListItem } from '#domain/scans/scan.ts';
import { SCAN_ID_PATTERN } from '#shared/scans/scan-contract.ts';
import { report } from '../capacity.ts';
import { listImageItems, tagScanItems } from '../catalogue/catalogue-repository.ts';
import { indexKeyNames, LIST_INDEXES, TAG_SCANS_INDEX } from '../table-design.ts';
import { countScans } from './counters.ts';
import { scanKey } from './keys.ts';
import { listPartition, orderKey, type OrderFields } from './scan-item.ts';
import type { ScanTable } from './table.ts';

const ORDER_OF_SORT = { scannedAt: 'time', compliance: 'grade', riskScore: 'risk' } as const;

function indexFor(query: ScanListQuery) {
  // Within one status, the status order is the time order.
  const order = query.sort.field === 'status' ? (query.status ? 'time' : 'status') : ORDER_OF_SORT[query.sort.field];
  return LIST_INDEXES.find((index) => index.partition === (query.status ? 'orgStatus' : 'org') && index.order === order)!;
}

export async function listScans(table: ScanTable, orgId: string, query: ScanListQuery): Promise<{ items: ScanListItem[]; total: number }> {
  if (query.search) return searchScans(table, orgId, query, query.search);
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

/**
 * The catalogue's tags whose repository name or tag contains the search (lower-cased), every scan
 * of those tags, and the scan a whole scan id names; filtered, ordered as the list index of the
 * same request orders them, and paged in memory. Costs the catalogue plus the matching tags' scans.
 */
async function searchScans(table: ScanTable, orgId: string, query: ScanListQuery, search: string): Promise<{ items: ScanListItem[]; total: number }> {
  const [images, named] = await Promise.all([listImageItems(table, orgId), SCAN_ID_PATTERN.test(search) ? scanById(table, orgId, search) : undefined]);
  const tagIds = images.flatMap((image) =>
    image.name.toLowerCase().includes(search)
      ? image.tags.map((t) => t.tagId)
      : image.tags.filter((t) => t.tag.toLowerCase().includes(search)).map((t) => t.tagId),
  );
  const found = new Map((await tagScanItems(table, orgId, tagIds)).map((item) => [item.id as string, item]));
  if (named) found.set(named.id as string, named);
  const order = indexFor(query).order;
  const rows = [...found.values()]
    .filter((item) => (!query.status || item.status === query.status) && triggerMatches(item, query.trigger))
    .map((item) => ({ item, key: orderKey({ order }, item as unknown as OrderFields) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (query.sort.direction === 'desc') rows.reverse();
  const offset = (query.page - 1) * query.limit;
  return { items: rows.slice(offset, offset + query.limit).map(({ item }) => toListItem(item as Parameters<typeof toListItem>[0])), total: rows.length };
}

/** The scan with this id, with the attributes the scans-by-tag index projects. */
async function scanById(table: ScanTable, orgId: string, scanId: string): Promise<Record<string, unknown> | undefined> {
  const result = await table.client.send(
    new GetCommand({
      TableName: table.tableName,
      Key: scanKey(orgId, scanId),
      ProjectionExpression: TAG_SCANS_INDEX.projection.map((_, i) => `#a${i}`).join(', '),
      ExpressionAttributeNames: Object.fromEntries(TAG_SCANS_INDEX.projection.map((name, i) => [`#a${i}`, name])),
      ReturnConsumedCapacity: 'TOTAL',
    }),
  );
  report(table.observer, 'listScans', result.ConsumedCapacity);
  return result.Item;
}

function triggerMatches(item: Record<string, unknown>, trigger: ScanListQuery['trigger']): boolean {
  if (!trigger) return true;
  const kind = (item.trigger as { kind: string } | undefined)?.kind ?? 'api';
  return kind === trigger;
}
