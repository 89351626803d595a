// The watch queue on SQS (WatchQueue port): a re-match run's batches, for the watch job.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { RematchBatch, WatchQueue } from '#domain/watch/rematch-run.ts';

/** SQS takes at most 10 messages per SendMessageBatch. */
const PER_REQUEST = 10;

export class SqsWatchQueue implements WatchQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
  ) {}

  async sendBatches(batches: RematchBatch[]): Promise<void> {
    for (let i = 0; i < batches.length; i += PER_REQUEST) {
      const entries = batches.slice(i, i + PER_REQUEST).map((batch) => ({ Id: String(batch.batch), MessageBody: JSON.stringify(batch) }));
      const result = await this.client.sendMessageBatch({ QueueUrl: this.queueUrl, Entries: entries });
      if (result.Failed && result.Failed.length > 0)
        throw new Error(`SQS refused ${result.Failed.length} re-match batches: ${result.Failed[0]!.Message ?? result.Failed[0]!.Code}`);
    }
  }
}
