// The ingest queue on SQS (IngestQueue port): upload requests the ingest job
// (functions/jobs/ingest/) works through. The queue URL comes from configuration.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { IngestQueue, IngestRequestMessage } from '#domain/scans/ingest-request.ts';

export class SqsIngestQueue implements IngestQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
  ) {}

  async enqueue(message: IngestRequestMessage): Promise<void> {
    await this.client.sendMessage({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) });
  }
}
