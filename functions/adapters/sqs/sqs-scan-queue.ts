// The scan queue on SQS (ScanQueue port). The endpoint comes from AWS_ENDPOINT_URL_SQS when
// set (local stack, tests); the queue URL from configuration.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { ScanQueue, ScanRequestMessage } from '#domain/scans/scan-store.ts';

const SQS_BATCH_LIMIT = 10;

export class SqsScanQueue implements ScanQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: ScanRequestMessage[]): Promise<void> {
    for (let i = 0; i < messages.length; i += SQS_BATCH_LIMIT) {
      const batch = messages.slice(i, i + SQS_BATCH_LIMIT);
      const result = await this.client.sendMessageBatch({
        QueueUrl: this.queueUrl,
        Entries: batch.map((message, index) => ({ Id: String(index), MessageBody: JSON.stringify(message) })),
      });
      if (result.Failed && result.Failed.length > 0) {
        throw new Error(`The scan queue refused ${result.Failed.length} message(s): ${result.Failed[0]!.Message ?? result.Failed[0]!.Code}`);
      }
    }
  }
}
