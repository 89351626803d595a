// The queue-fed jobs every stack runs, on one machine: the SQS event source feeding
// functions/jobs/ingest/handler.ts from the ingest queue (INGEST_QUEUE_URL) and
// functions/jobs/webhook-delivery/handler.ts from the webhook queue (WEBHOOK_QUEUE_URL) and
// functions/jobs/rematch/handler.ts from the watch queue (WATCH_QUEUE_URL), the same handlers
// Lambda runs.
import { SQSClient } from '@aws-sdk/client-sqs';
import { startSqsEventSource, type EventSource } from './sqs-event-source.ts';

/** Call once the stack's environment (table, bucket, queues) is set. */
export async function startLocalQueueJobs(options: { visibilityTimeoutSeconds?: number } = {}): Promise<EventSource> {
  const [{ handler }, { handler: webhookDelivery }, { handler: rematch }] = await Promise.all([
    import('../functions/jobs/ingest/handler.ts'),
    import('../functions/jobs/webhook-delivery/handler.ts'),
    import('../functions/jobs/rematch/handler.ts'),
  ]);
  const webhooks = startSqsEventSource({
    client: new SQSClient({}),
    queueUrl: process.env.WEBHOOK_QUEUE_URL!,
    handler: webhookDelivery,
    // As deployed (infra/job-settings.ts): a failed batch item comes back after the visibility timeout.
    batchSize: 10,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
  });
  const ingest = startSqsEventSource({
    client: new SQSClient({}),
    queueUrl: process.env.INGEST_QUEUE_URL!,
    handler,
    // One request at a time, as the deployed job (batch size 1); a failed one comes back after this.
    batchSize: 1,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
  });
  const watchRuns = startSqsEventSource({
    client: new SQSClient({}),
    queueUrl: process.env.WATCH_QUEUE_URL!,
    handler: rematch,
    // A plan or a batch of 50 tags at a time, as deployed.
    batchSize: 1,
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 30,
  });
  return { stop: () => Promise.all([ingest.stop(), webhooks.stop(), watchRuns.stop()]).then(() => undefined) };
}
