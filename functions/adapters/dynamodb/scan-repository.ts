// Where scans are stored: the ScanStore port on the single DynamoDB table.
// Layout (docs/DYNAMODB.md): scan summaries under the organisation's partition, findings
// under the scan's own partition, per-organisation counters for list totals, and one sparse
// GSI per list order so a page costs the page, not the organisation's history.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type BatchWriteCommandInput,
  type BatchWriteCommandOutput,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '#domain/errors.ts';
import type { Finding } from '#domain/findings/finding.ts';
import { newId } from '#domain/ids.ts';
import type { ScanListQuery } from '#domain/scans/list-query.ts';
import { SCAN_STATUSES, toListItem, type Scan, type ScanListItem, type ScanStatus } from '#domain/scans/scan.ts';
import type { ScanStatusView, ScanStore } from '#domain/scans/scan-store.ts';
import { report, type CapacityObserver } from './capacity.ts';
import { indexKeyNames, LIST_INDEXES, type ListIndex } from './table-design.ts';

const orgPk = (orgId: string) => `ORG#${orgId}`;
const scanSk = (scanId: string) => `SCAN#${scanId}`;
const findingsPk = (orgId: string, scanId: string) => `SCANDATA#${orgId}#${scanId}`;
const COUNTERS_SK = 'COUNTERS#SCANS';
const statusCounter = (status: ScanStatus) => `status_${status}`;
const TRANSACTION_LIMIT = 100;
type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

/** Order components, each fixed-width or terminated so that string order is the intended order. */
function orderKey(index: ListIndex, scan: Scan): string {
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
    keys[names.pk] = index.partition === 'org' ? orgPk(scan.orgId) : `${orgPk(scan.orgId)}#${scan.status}`;
    keys[names.sk] = orderKey(index, scan);
  }
  return keys;
}

function toItem(scan: Scan): Record<string, unknown> {
  const searchText = [scan.id, scan.image.name, scan.image.tag, scan.image.digest].filter(Boolean).join(' ').toLowerCase();
  return { pk: orgPk(scan.orgId), sk: scanSk(scan.id), entity: 'scan', ...scan, searchText, ...listKeys(scan) };
}

function fromItem(item: Record<string, unknown>): Scan {
  const { id, orgId, tagId, image, status, scanners, compliance, riskScore, duration, scannedAt, requestedAt, updatedAt, source, progress, severityCounts } =
    item as unknown as Scan;
  return {
    id, orgId, tagId, image, status, scanners, compliance, riskScore, duration, scannedAt, requestedAt, updatedAt, source,
    ...(progress ? { progress } : {}),
    ...(severityCounts ? { severityCounts } : {}),
  };
}

function counterUpdate(tableName: string, orgId: string, deltas: Record<string, number>) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(deltas).map(([attribute, delta], i) => {
    names[`#c${i}`] = attribute;
    values[`:d${i}`] = delta;
    return `#c${i} :d${i}`;
  });
  return {
    Update: {
      TableName: tableName,
      Key: { pk: orgPk(orgId), sk: COUNTERS_SK },
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

export class DynamoDbScanRepository implements ScanStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly observer?: CapacityObserver,
  ) {}

  async ensureTag(orgId: string, name: string, tagOrDigest: string): Promise<string> {
    const refKey = { pk: orgPk(orgId), sk: `TAGREF#${name}:${tagOrDigest}` };
    const found = await this.client.send(new GetCommand({ TableName: this.tableName, Key: refKey, ConsistentRead: true }));
    if (found.Item) return found.Item.tagId as string;
    const tagId = newId('tag');
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...refKey, tagId }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: { pk: orgPk(orgId), sk: `TAG#${tagId}`, tagId, name, tag: tagOrDigest } } },
          ],
        }),
      );
      return tagId;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // Another request created the same tag first: use theirs.
      const winner = await this.client.send(new GetCommand({ TableName: this.tableName, Key: refKey, ConsistentRead: true }));
      if (!winner.Item) throw error;
      return winner.Item.tagId as string;
    }
  }

  async createScans(scans: Scan[]): Promise<void> {
    const written: Scan[] = [];
    const chunkSize = TRANSACTION_LIMIT - 1;
    try {
      for (let i = 0; i < scans.length; i += chunkSize) {
        const chunk = scans.slice(i, i + chunkSize);
        const orgId = chunk[0]!.orgId;
        const byStatus: Record<string, number> = { total: chunk.length };
        for (const scan of chunk) byStatus[statusCounter(scan.status)] = (byStatus[statusCounter(scan.status)] ?? 0) + 1;
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              ...chunk.map((scan) => ({
                Put: { TableName: this.tableName, Item: toItem(scan), ConditionExpression: 'attribute_not_exists(pk)' },
              })),
              counterUpdate(this.tableName, orgId, byStatus),
            ],
          }),
        );
        written.push(...chunk);
      }
    } catch (error) {
      await Promise.all(written.map((scan) => this.deleteScan(scan.orgId, scan.id)));
      throw error;
    }
  }

  async getScan(orgId: string, scanId: string): Promise<Scan | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: orgPk(orgId), sk: scanSk(scanId) }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    report(this.observer, 'getScan', result.ConsumedCapacity);
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async getScanStatus(orgId: string, scanId: string): Promise<ScanStatusView | undefined> {
    const result = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: orgPk(orgId), sk: scanSk(scanId) },
        ProjectionExpression: 'id, #s, progress, updatedAt',
        ExpressionAttributeNames: { '#s': 'status' },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    report(this.observer, 'getScanStatus', result.ConsumedCapacity);
    if (!result.Item) return undefined;
    const { id, status, progress, updatedAt } = result.Item as ScanStatusView;
    return { id, status, ...(progress ? { progress } : {}), updatedAt };
  }

  async listScans(orgId: string, query: ScanListQuery): Promise<{ items: ScanListItem[]; total: number }> {
    const index = LIST_INDEXES.find(
      (candidate) =>
        candidate.partition === (query.status ? 'orgStatus' : 'org') &&
        candidate.order === ({ scannedAt: 'time', status: query.status ? 'time' : 'status', compliance: 'grade', riskScore: 'risk' } as const)[query.sort.field],
    )!;
    const names = indexKeyNames(index);
    const partition = query.status ? `${orgPk(orgId)}#${query.status}` : orgPk(orgId);
    const offset = (query.page - 1) * query.limit;
    const wanted = offset + query.limit;
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': names.pk },
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: query.sort.direction === 'asc',
      ReturnConsumedCapacity: 'TOTAL',
    };
    if (query.search) {
      input.FilterExpression = 'contains(searchText, :q)';
      input.ExpressionAttributeValues![':q'] = query.search;
    }

    const rows: ScanListItem[] = [];
    let matched = 0;
    let cursor: Record<string, unknown> | undefined;
    do {
      // Without a search only the rows up to the requested page are read; with one, the
      // whole partition is, because the total has to count every match.
      const page = await this.client.send(
        new QueryCommand({ ...input, ...(query.search ? {} : { Limit: wanted - matched }), ExclusiveStartKey: cursor }),
      );
      report(this.observer, 'listScans', page.ConsumedCapacity);
      for (const item of page.Items ?? []) {
        if (matched >= offset && rows.length < query.limit) rows.push(toListItem(item as ScanListItem));
        matched += 1;
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor && (query.search || matched < wanted));

    const total = query.search ? matched : await this.countScans(orgId, query.status);
    return { items: rows, total };
  }

  private async countScans(orgId: string, status: ScanStatus | undefined): Promise<number> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: orgPk(orgId), sk: COUNTERS_SK }, ReturnConsumedCapacity: 'TOTAL' }),
    );
    report(this.observer, 'countScans', result.ConsumedCapacity);
    const value = result.Item?.[status ? statusCounter(status) : 'total'];
    return typeof value === 'number' ? Math.max(0, value) : 0;
  }

  async saveResults(scan: Scan, previousStatus: ScanStatus | undefined, findings: Finding[]): Promise<void> {
    const previous = await this.listFindingKeys(scan.orgId, scan.id);
    await this.batchWrite(findings.map((finding) => ({ PutRequest: { Item: { pk: findingsPk(scan.orgId, scan.id), sk: `FINDING#${finding.id}`, ...finding } } })));

    const deltas: Record<string, number> = previousStatus === undefined ? { total: 1 } : {};
    if (previousStatus !== scan.status) {
      deltas[statusCounter(scan.status)] = 1;
      if (previousStatus) deltas[statusCounter(previousStatus)] = -1;
    }
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: toItem(scan),
                ...(previousStatus === undefined
                  ? { ConditionExpression: 'attribute_not_exists(pk)' }
                  : { ConditionExpression: '#s = :prev', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':prev': previousStatus } }),
              },
            },
            ...(Object.keys(deltas).length > 0 ? [counterUpdate(this.tableName, scan.orgId, deltas)] : []),
          ],
        }),
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new ConflictError(`Scan ${scan.id} changed while its results were being stored; retry`);
      throw error;
    }
    const current = new Set(findings.map((f) => `FINDING#${f.id}`));
    await this.batchWrite(previous.filter((sk) => !current.has(sk)).map((sk) => ({ DeleteRequest: { Key: { pk: findingsPk(scan.orgId, scan.id), sk } } })));
  }

  async listFindings(orgId: string, scanId: string): Promise<Finding[]> {
    const items = await this.queryAll(findingsPk(orgId, scanId));
    return items.map(({ pk: _pk, sk: _sk, ...finding }) => finding as unknown as Finding);
  }

  async deleteScan(orgId: string, scanId: string): Promise<Scan | undefined> {
    const scan = await this.getScan(orgId, scanId);
    if (!scan) return undefined;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: { pk: orgPk(orgId), sk: scanSk(scanId) },
                ConditionExpression: '#s = :s',
                ExpressionAttributeNames: { '#s': 'status' },
                ExpressionAttributeValues: { ':s': scan.status },
              },
            },
            counterUpdate(this.tableName, orgId, { total: -1, [statusCounter(scan.status)]: -1 }),
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      // The scan changed or vanished meanwhile: start over from what is stored now.
      return this.deleteScan(orgId, scanId);
    }
    const keys = await this.listFindingKeys(orgId, scanId);
    await this.batchWrite(keys.map((sk) => ({ DeleteRequest: { Key: { pk: findingsPk(orgId, scanId), sk } } })));
    return scan;
  }

  private async listFindingKeys(orgId: string, scanId: string): Promise<string[]> {
    const items = await this.queryAll(findingsPk(orgId, scanId), 'sk');
    return items.map((item) => item.sk as string);
  }

  private async queryAll(pk: string, projection?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ...(projection ? { ProjectionExpression: projection } : {}),
          ConsistentRead: true,
          ExclusiveStartKey: cursor,
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor);
    return items;
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    for (let i = 0; i < requests.length; i += 25) {
      let pending: WriteRequest[] | undefined = requests.slice(i, i + 25);
      for (let attempt = 0; pending && pending.length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        const result: BatchWriteCommandOutput = await this.client.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = result.UnprocessedItems?.[this.tableName];
      }
    }
  }
}
