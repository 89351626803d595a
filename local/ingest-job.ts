// The ingest job on one machine: the SQS event source feeding functions/jobs/ingest/handler.ts
// from the ingest queue (INGEST_QUEUE_URL), the same handler Lambda runs.
import { SQSClient } from '@aws-sdk/client-sqs';
import { startSqsEventSource, type EventSource } from './sqs-event-source.ts';

/** Call once the stack's environment (table, bucket, queues) is set. */
export async function startLocalIngestJob(options: { visibilityTimeoutSeconds?: number } = {}): Promise<EventSource> {
  const { handler } = await import('../functions/jobs/ingest/handler.ts');
  return startSqsEventSource({
    client: new SQSClient({}),
    queueUrl: process.env.INGEST_QUEUE_URL!,
    handler,
    // One request at a time, as the deployed job (batch size 1); a failed one comes back after this.
    batchSize: 1,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
  });
}
