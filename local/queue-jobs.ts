// The queue-fed jobs every stack runs, on one machine: the SQS event source feeding
// functions/jobs/ingest/handler.ts from the ingest queue (INGEST_QUEUE_URL) and
// functions/jobs/webhook-delivery/handler.ts from the webhook queue (WEBHOOK_QUEUE_URL), the
// same handlers Lambda runs.
import { SQSClient } from '@aws-sdk/client-sqs';
import { startSqsEventSource, type EventSource } from './sqs-event-source.ts';

/** Call once the stack's environment (table, bucket, queues) is set. */
export async function startLocalQueueJobs(options: { visibilityTimeoutSeconds?: number } = {}): Promise<EventSource> {
  const [{ handler }, { handler: webhookDelivery }] = await Promise.all([
    import('../functions/jobs/ingest/handler.ts'),
    import('../functions/jobs/webhook-delivery/handler.ts'),
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
  return { stop: () => Promise.all([ingest.stop(), webhooks.stop()]).then(() => undefined) };
}
