// Where re-match runs live (WatchRunStore): one item per run, and one marker per counted batch
// under the run's partition, written in the same transaction as the counts it adds, so a
// redelivered batch is counted once. Runs expire after 90 days (the table's TTL).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RUN_COUNTS, type RunCounts, type WatchRun, type WatchRunStore } from '#domain/watch/rematch-run.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const RETAINED_SECONDS = 90 * 86_400;
const runKey = (runId: string) => ({ pk: `WATCHRUN#${runId}`, sk: 'RUN' });
const batchKey = (runId: string, batch: number) => ({ pk: `WATCHRUN#${runId}`, sk: `BATCH#${String(batch).padStart(6, '0')}` });
const expiry = (at: string) => Math.ceil(Date.parse(at) / 1000) + RETAINED_SECONDS;

function strip(item: Record<string, unknown>): WatchRun {
  const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...rest } = item;
  return rest as unknown as WatchRun;
}

const cancelledByCondition = (error: unknown) =>
  (error as Error).name === 'TransactionCanceledException' &&
  ((error as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? []).some((reason) => reason.Code === 'ConditionalCheckFailed');

export class DynamoDbWatchRunRepository implements WatchRunStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async createRun(run: WatchRun): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...runKey(run.id), ...run, [TTL_ATTRIBUTE]: expiry(run.startedAt) } }));
  }

  async getRun(runId: string): Promise<WatchRun | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: runKey(runId), ConsistentRead: true }));
    return Item ? strip(Item) : undefined;
  }

  async countBatch(runId: string, batch: number, counts: RunCounts, at: Date): Promise<WatchRun | undefined> {
    const names = Object.fromEntries(RUN_COUNTS.map((name) => [`#${name}`, name]));
    const values = Object.fromEntries(RUN_COUNTS.map((name) => [`:${name}`, counts[name]]));
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...batchKey(runId, batch), countedAt: at.toISOString() },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: runKey(runId),
                UpdateExpression: `ADD batchesDone :one, ${RUN_COUNTS.map((name) => `counts.#${name} :${name}`).join(', ')}`,
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: { ...values, ':one': 1 },
              },
            },
          ],
        }),
      );
    } catch (error) {
      // Counted already (a redelivery), or the run is gone (expired): nothing to add.
      if (!cancelledByCondition(error)) throw error;
    }
    const run = await this.getRun(runId);
    if (run && run.finishedAt === null && run.batchesDone >= run.batches) {
      await this.client
        .send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: runKey(runId),
            UpdateExpression: 'SET finishedAt = :at',
            // NULL is not comparable with `=`: its type is tested instead.
            ConditionExpression: 'attribute_type(finishedAt, :null)',
            ExpressionAttributeValues: { ':at': at.toISOString(), ':null': 'NULL' },
          }),
        )
        .catch((error: unknown) => {
          // Another batch's worker finished it first.
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        });
      return { ...run, finishedAt: at.toISOString() };
    }
    return run;
  }
}
