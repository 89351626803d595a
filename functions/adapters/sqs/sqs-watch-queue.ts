// The watch queue on SQS (WatchQueue port): runs to plan and their batches, for the re-match job.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { WatchMessage, WatchQueue } from '#domain/watch/rematch-run.ts';
import { sendInBatches } from './send-in-batches.ts';

export class SqsWatchQueue implements WatchQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
  ) {}

  send(messages: WatchMessage[]): Promise<void> {
    return sendInBatches(this.client, this.queueUrl, messages, 'watch queue');
  }
}
