// BatchWriteItem over any number of requests: 25 per call, several calls in flight, and
// unprocessed items (DynamoDB returns them under throttling) retried with bounded, jittered
// backoff (retry.ts); items still unprocessed after the bound fail the write.
import { BatchWriteCommand, type BatchWriteCommandInput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { report, type CapacityObserver } from './capacity.ts';
import { DEFAULT_RETRY, TRY_AGAIN, withRetries, type RetryPolicy } from './retry.ts';

export type WriteRequest = NonNullable<BatchWriteCommandInput['RequestItems']>[string][number];

const BATCH_SIZE = 25;
const IN_FLIGHT = 8;

export async function batchWrite(
  client: DynamoDBDocumentClient,
  tableName: string,
  requests: WriteRequest[],
  observer?: CapacityObserver,
  retry: RetryPolicy = DEFAULT_RETRY,
): Promise<void> {
  const batches: WriteRequest[][] = [];
  for (let i = 0; i < requests.length; i += BATCH_SIZE) batches.push(requests.slice(i, i + BATCH_SIZE));
  let next = 0;
  const writeBatch = async (batch: WriteRequest[]) => {
    let pending = batch;
    await withRetries(
      async () => {
        const result = await client.send(
          new BatchWriteCommand({ RequestItems: { [tableName]: pending }, ReturnConsumedCapacity: observer ? 'TOTAL' : 'NONE' }),
        );
        report(observer, 'batchWrite', result.ConsumedCapacity);
        pending = result.UnprocessedItems?.[tableName] ?? [];
        return pending.length > 0 ? TRY_AGAIN : undefined;
      },
      () => new Error(`BatchWriteItem: ${pending.length} of ${batch.length} items still unprocessed after ${retry.attempts} attempts (throttled)`),
      retry,
    );
  };
  const worker = async () => {
    while (next < batches.length) await writeBatch(batches[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(IN_FLIGHT, batches.length) }, worker));
}
