// The scan queue on SQS (ScanQueue port). The endpoint comes from AWS_ENDPOINT_URL_SQS when
// set (local stack, tests); the queue URL from configuration.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { SQS } from '@aws-sdk/client-sqs';
import type { ScanQueue, ScanRequestMessage } from '#domain/scans/scan-store.ts';
import { sendInBatches } from './send-in-batches.ts';

export class SqsScanQueue implements ScanQueue {
  constructor(
    private readonly client: SQS,
    private readonly queueUrl: string,
  ) {}

  enqueue(messages: ScanRequestMessage[]): Promise<void> {
    return sendInBatches(this.client, this.queueUrl, messages, 'scan queue');
  }
}
