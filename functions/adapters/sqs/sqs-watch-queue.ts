// The watch queue on SQS (WatchQueue port): a re-match run's batches, for the watch job.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { RematchBatch, WatchQueue } from '#domain/watch/rematch-run.ts';
import { sendInBatches } from './send-in-batches.ts';

export class SqsWatchQueue implements WatchQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
  ) {}

  sendBatches(batches: RematchBatch[]): Promise<void> {
    return sendInBatches(this.client, this.queueUrl, batches, 'watch queue');
  }
}
