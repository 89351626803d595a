// The webhook queue on SQS (WebhookQueue port): fan-outs and attempts for the delivery job
// (functions/jobs/webhook-delivery/), delayed with DelaySeconds; deliveries that exhausted
// their retries go to its dead-letter queue, whose alarm tells the operator.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { WebhookMessage, WebhookQueue } from '#domain/webhooks/webhook.ts';

export class SqsWebhookQueue implements WebhookQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
    private readonly deadLetterQueueUrl: () => string,
  ) {}

  async send(message: WebhookMessage, delaySeconds = 0): Promise<void> {
    await this.client.sendMessage({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message), DelaySeconds: Math.min(900, Math.max(0, delaySeconds)) });
  }

  async deadLetter(message: WebhookMessage): Promise<void> {
    await this.client.sendMessage({ QueueUrl: this.deadLetterQueueUrl(), MessageBody: JSON.stringify(message) });
  }
}
