// Where re-match runs live (WatchRunStore): one item per organisation's run under the
// organisation's runs partition (listed newest first: run ids are time-ordered), and one marker
// per counted batch under the run's own partition, written in the same transaction as the counts
// it adds, so a redelivered batch is counted once. Runs expire after 90 days (the table's TTL).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RUN_COUNTS, type RunCounts, type WatchRun, type WatchRunStore } from '#domain/watch/rematch-run.ts';
import { DEFAULT_RETRY, TRY_AGAIN, withRetries } from './retry.ts';
import { transact } from './scans/transaction.ts';
import type { ScanTable } from './scans/table.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const RETAINED_SECONDS = 90 * 86_400;
const RUN_PREFIX = 'RUN#';
const runsPk = (orgId: string) => `WATCHRUNS#${orgId}`;
const runKey = (orgId: string, runId: string) => ({ pk: runsPk(orgId), sk: `${RUN_PREFIX}${runId}` });
const batchKey = (orgId: string, runId: string, batch: number) => ({ pk: `WATCHRUN#${orgId}#${runId}`, sk: `BATCH#${String(batch).padStart(6, '0')}` });
const expiry = (at: string) => Math.ceil(Date.parse(at) / 1000) + RETAINED_SECONDS;

function strip(item: Record<string, unknown>): WatchRun {
  const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...rest } = item;
  return rest as unknown as WatchRun;
}

const ignoreConditionFailure = (error: unknown) => {
  if (!(error instanceof ConditionalCheckFailedException)) throw error;
  return false;
};

export class DynamoDbWatchRunRepository implements WatchRunStore {
  private readonly table: ScanTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = { client, tableName, retry: DEFAULT_RETRY };
  }

  async createRun(run: WatchRun): Promise<boolean> {
    return this.client
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...runKey(run.orgId, run.id), ...run, [TTL_ATTRIBUTE]: expiry(run.startedAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .then(() => true, ignoreConditionFailure);
  }

  async getRun(orgId: string, runId: string): Promise<WatchRun | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: runKey(orgId, runId), ConsistentRead: true }));
    return Item ? strip(Item) : undefined;
  }

  async listRuns(orgId: string, limit: number, after?: string): Promise<{ runs: WatchRun[]; next?: string }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: after ? 'pk = :pk AND sk < :after' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': runsPk(orgId), ...(after ? { ':after': `${RUN_PREFIX}${after}` } : {}) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    const runs = (page.Items ?? []).map(strip);
    return { runs, ...(page.LastEvaluatedKey && runs.length > 0 ? { next: runs[runs.length - 1]!.id } : {}) };
  }

  async countBatch(orgId: string, runId: string, batch: number, counts: RunCounts, at: Date): Promise<WatchRun | undefined> {
    const names = Object.fromEntries(RUN_COUNTS.map((name) => [`#${name}`, name]));
    const values = Object.fromEntries(RUN_COUNTS.map((name) => [`:${name}`, counts[name]]));
    await withRetries(
      async () => {
        const outcome = await transact(
          this.table,
          [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...batchKey(orgId, runId, batch), countedAt: at.toISOString(), [TTL_ATTRIBUTE]: expiry(at.toISOString()) },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: runKey(orgId, runId),
                UpdateExpression: `ADD batchesDone :one, ${RUN_COUNTS.map((name) => `counts.#${name} :${name}`).join(', ')}`,
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ...values, ':one': 1 },
              },
            },
          ],
          'countWatchBatch',
        );
        // Counted already (a redelivery), or the run is gone (expired): nothing to add.
        return outcome.kind === 'contended' ? TRY_AGAIN : outcome;
      },
      () => new Error(`re-match run ${runId}: batch ${batch} could not be counted, the table kept refusing the write`),
    );
    const run = await this.getRun(orgId, runId);
    if (!run || run.finishedAt !== null || run.batchesDone < run.batches) return run;
    const finished = await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: runKey(orgId, runId),
          UpdateExpression: 'SET finishedAt = :at',
          // NULL is not comparable with `=`: its type is tested instead.
          ConditionExpression: 'attribute_type(finishedAt, :null)',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':null': 'NULL' },
        }),
      )
      // Another batch's worker finished it first.
      .then(() => true, ignoreConditionFailure);
    return finished ? { ...run, finishedAt: at.toISOString() } : this.getRun(orgId, runId);
  }
}
