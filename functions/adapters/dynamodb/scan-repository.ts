// Where scans are stored: the ScanStore port on the single DynamoDB table.
// Layout (docs/DYNAMODB.md): scan summaries under the organisation's partition, findings
// under the scan's own partition, per-organisation counters for list totals, and one sparse
// GSI per list order so a page costs the page, not the organisation's history.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Finding } from '#domain/findings/finding.ts';
import { newId } from '#domain/ids.ts';
import type { ScanListQuery } from '#domain/scans/list-query.ts';
import { ACTIVE_STATUSES, SCAN_STATUSES, toListItem, type Scan, type ScanListItem, type ScanStatus } from '#domain/scans/scan.ts';
import type { RunningCaps, ScanStatusView, ScanStore } from '#domain/scans/scan-store.ts';
import { batchWrite, type WriteRequest } from './batch-write.ts';
import { report, type CapacityObserver } from './capacity.ts';
import { queryAll } from './query-all.ts';
import { ACTIVE_INDEX, indexKeyNames, LIST_INDEXES, type ListIndex } from './table-design.ts';

const orgPk = (orgId: string) => `ORG#${orgId}`;
const scanSk = (scanId: string) => `SCAN#${scanId}`;
const findingsPk = (orgId: string, scanId: string) => `SCANDATA#${orgId}#${scanId}`;
const COUNTERS_SK = 'COUNTERS#SCANS';
/** Deployment-wide counters: only the running count matters there (the global concurrency cap). */
const DEPLOYMENT_COUNTERS = { pk: 'DEPLOYMENT', sk: COUNTERS_SK };
const statusCounter = (status: ScanStatus) => `status_${status}`;
const TRANSACTION_LIMIT = 100;

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
  const active = ACTIVE_STATUSES.includes(scan.status) && scan.deadline
    ? { [ACTIVE_INDEX.pk]: 'ACTIVE', [ACTIVE_INDEX.sk]: `${scan.deadline}#${scan.orgId}#${scan.id}` }
    : {};
  return { pk: orgPk(scan.orgId), sk: scanSk(scan.id), entity: 'scan', ...scan, searchText, ...listKeys(scan), ...active };
}

const SCAN_FIELDS = [
  'id', 'orgId', 'tagId', 'image', 'status', 'scanners', 'compliance', 'riskScore', 'duration', 'scannedAt', 'requestedAt', 'updatedAt',
  'source', 'progress', 'severityCounts', 'deadline', 'startedAt', 'taskArn', 'failure', 'ingestDigest', 'pendingIngest', 'matching',
] as const satisfies ReadonlyArray<keyof Scan>;

function fromItem(item: Record<string, unknown>): Scan {
  const scan: Record<string, unknown> = {};
  for (const field of SCAN_FIELDS) if (item[field] !== undefined) scan[field] = item[field];
  return scan as unknown as Scan;
}

/** Counter changes for a status change: the organisation's, and the deployment's running count. */
function counterUpdates(tableName: string, orgId: string, deltas: Record<string, number>, caps?: RunningCaps) {
  const running = deltas[statusCounter('IN_PROGRESS')];
  const updates = [counterUpdate(tableName, { pk: orgPk(orgId), sk: COUNTERS_SK }, deltas, caps?.perOrganization)];
  if (running) updates.push(counterUpdate(tableName, DEPLOYMENT_COUNTERS, { [statusCounter('IN_PROGRESS')]: running }, caps?.perDeployment));
  return updates;
}

function statusDeltas(previous: ScanStatus | undefined, next: ScanStatus | undefined): Record<string, number> {
  const deltas: Record<string, number> = {};
  if (previous === next) return deltas;
  if (previous === undefined) deltas.total = 1;
  if (next === undefined) deltas.total = -1;
  if (previous) deltas[statusCounter(previous)] = -1;
  if (next) deltas[statusCounter(next)] = 1;
  return deltas;
}

/** An ADD of each delta; with a cap, conditional on the running count being below it. */
function counterUpdate(tableName: string, key: { pk: string; sk: string }, deltas: Record<string, number>, cap?: number) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(deltas).map(([attribute, delta], i) => {
    names[`#c${i}`] = attribute;
    values[`:d${i}`] = delta;
    return `#c${i} :d${i}`;
  });
  const running = statusCounter('IN_PROGRESS');
  const capped = cap !== undefined && (deltas[running] ?? 0) > 0;
  if (capped) {
    names['#running'] = running;
    values[':cap'] = cap;
  }
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ...(capped ? { ConditionExpression: 'attribute_not_exists(#running) OR #running < :cap' } : {}),
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
    // Room in each transaction for the organisation and deployment counters.
    const chunkSize = TRANSACTION_LIMIT - 2;
    try {
      for (let i = 0; i < scans.length; i += chunkSize) {
        const chunk = scans.slice(i, i + chunkSize);
        const orgId = chunk[0]!.orgId;
        const deltas: Record<string, number> = {};
        for (const scan of chunk) {
          for (const [name, delta] of Object.entries(statusDeltas(undefined, scan.status))) deltas[name] = (deltas[name] ?? 0) + delta;
        }
        await this.client.send(
          new TransactWriteCommand({
            TransactItems: [
              ...chunk.map((scan) => ({
                Put: { TableName: this.tableName, Item: toItem(scan), ConditionExpression: 'attribute_not_exists(pk)' },
              })),
              ...counterUpdates(this.tableName, orgId, deltas),
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
        ProjectionExpression: 'id, #s, progress, failure, updatedAt',
        ExpressionAttributeNames: { '#s': 'status' },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    report(this.observer, 'getScanStatus', result.ConsumedCapacity);
    if (!result.Item) return undefined;
    const { id, status, progress, failure, updatedAt } = result.Item as ScanStatusView;
    return { id, status, ...(progress ? { progress } : {}), ...(failure ? { failure } : {}), updatedAt };
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

  async replaceFindings(orgId: string, scanId: string, findings: Finding[]): Promise<void> {
    const previous = await this.listFindingKeys(orgId, scanId);
    await this.putFindings(orgId, scanId, findings);
    const current = new Set(findings.map((f) => `FINDING#${f.id}`));
    await this.batchWrite(previous.filter((sk) => !current.has(sk)).map((sk) => ({ DeleteRequest: { Key: { pk: findingsPk(orgId, scanId), sk } } })));
  }

  async saveScan(scan: Scan, previousStatus: ScanStatus | undefined): Promise<boolean> {
    return (await this.putScan(scan, previousStatus)) === true;
  }

  /** Writes the whole scan item if it is still in `previousStatus` (absent when undefined); false if not. */
  private async putScan(scan: Scan, previousStatus: ScanStatus | undefined, caps?: RunningCaps): Promise<boolean | 'at-capacity'> {
    const deltas = statusDeltas(previousStatus, scan.status);
    try {
      const result = await this.client.send(
        new TransactWriteCommand({
          ReturnConsumedCapacity: this.observer ? 'TOTAL' : 'NONE',
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
            ...(Object.keys(deltas).length > 0 ? counterUpdates(this.tableName, scan.orgId, deltas, caps) : []),
          ],
        }),
      );
      report(this.observer, 'putScan', result.ConsumedCapacity);
      return true;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      // Reason 0 is the scan itself; any later one is a counter whose cap held.
      if (reasons[0]?.Code !== 'ConditionalCheckFailed' && reasons.slice(1).some((r) => r.Code === 'ConditionalCheckFailed')) return 'at-capacity';
      return false;
    }
  }

  async transitionScan(orgId: string, scanId: string, from: readonly ScanStatus[], patch: Partial<Scan>): Promise<Scan | undefined> {
    for (;;) {
      const current = await this.getScan(orgId, scanId);
      if (!current || !from.includes(current.status)) return undefined;
      const next = { ...current, ...patch };
      if ((await this.putScan(next, current.status)) === true) return next;
    }
  }

  async startScan(orgId: string, scanId: string, patch: Partial<Scan>, caps: RunningCaps): Promise<'started' | 'not-queued' | 'at-capacity'> {
    for (;;) {
      const current = await this.getScan(orgId, scanId);
      if (!current || current.status !== 'QUEUED') return 'not-queued';
      const outcome = await this.putScan({ ...current, ...patch, status: 'IN_PROGRESS' }, 'QUEUED', caps);
      if (outcome === true) return 'started';
      if (outcome === 'at-capacity') return 'at-capacity';
    }
  }

  async listOverdueScans(before: string, limit: number): Promise<Scan[]> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: ACTIVE_INDEX.name,
        KeyConditionExpression: '#pk = :active AND #sk < :before',
        ExpressionAttributeNames: { '#pk': ACTIVE_INDEX.pk, '#sk': ACTIVE_INDEX.sk },
        ExpressionAttributeValues: { ':active': 'ACTIVE', ':before': before },
        Limit: limit,
      }),
    );
    return this.activeScansOf(page.Items ?? []);
  }

  async listActiveScans(): Promise<Scan[]> {
    const keys: Array<Record<string, unknown>> = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: ACTIVE_INDEX.name,
          KeyConditionExpression: '#pk = :active',
          ExpressionAttributeNames: { '#pk': ACTIVE_INDEX.pk },
          ExpressionAttributeValues: { ':active': 'ACTIVE' },
          ExclusiveStartKey: start,
        }),
      );
      keys.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    return this.activeScansOf(keys);
  }

  /** The scans behind activeByDeadline keys that are still active (the index is eventually consistent). */
  private async activeScansOf(keys: Array<Record<string, unknown>>): Promise<Scan[]> {
    const scans = await Promise.all(keys.map((item) => this.getScan((item.pk as string).slice('ORG#'.length), (item.sk as string).slice('SCAN#'.length))));
    return scans.filter((scan): scan is Scan => scan !== undefined && ACTIVE_STATUSES.includes(scan.status));
  }

  async listFindings(orgId: string, scanId: string): Promise<Finding[]> {
    const items = await this.queryAll(findingsPk(orgId, scanId));
    return items.map(({ pk: _pk, sk: _sk, ...finding }) => finding as unknown as Finding);
  }

  async getFinding(orgId: string, scanId: string, findingId: string): Promise<Finding | undefined> {
    const result = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: { pk: findingsPk(orgId, scanId), sk: `FINDING#${findingId}` }, ConsistentRead: true }),
    );
    if (!result.Item) return undefined;
    const { pk: _pk, sk: _sk, ...finding } = result.Item;
    return finding as Finding;
  }

  async putFindings(orgId: string, scanId: string, findings: Finding[]): Promise<void> {
    await this.batchWrite(findings.map((finding) => ({ PutRequest: { Item: { pk: findingsPk(orgId, scanId), sk: `FINDING#${finding.id}`, ...finding } } })));
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
            ...counterUpdates(this.tableName, orgId, statusDeltas(scan.status, undefined)),
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

  private queryAll(pk: string, projection?: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ...(projection ? { ProjectionExpression: projection } : {}),
      ConsistentRead: true,
    });
  }

  private batchWrite(requests: WriteRequest[]): Promise<void> {
    return batchWrite(this.client, this.tableName, requests, this.observer);
  }
}
