// Lambda on the scan queue (SQS event source with ReportBatchItemFailures): starts a scanner
// task for each queued scan. A message that must wait (caps) or failed transiently is
// reported as a batch item failure, so SQS redelivers it later; the rest are deleted.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dispatchScan, scanRequestMessageSchema, ScanDeferredError } from '#domain/pipeline/dispatch-scan.ts';
import { dependencies } from '#http/dependencies.ts';
import { logLine } from '../log-line.ts';

export async function handler(event: SQSEvent): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    let body: unknown;
    try {
      body = JSON.parse(record.body);
    } catch {
      body = undefined;
    }
    const message = scanRequestMessageSchema.safeParse(body);
    if (!message.success) {
      // A malformed message can never succeed: drop it (logged) instead of looping to the DLQ.
      logLine('error', 'dropped malformed scan message', { messageId: record.messageId });
      continue;
    }
    try {
      const outcome = await dispatchScan(message.data, dependencies());
      logLine('info', `scan ${outcome}`, { scanId: message.data.scanId, orgId: message.data.orgId });
    } catch (error) {
      const deferred = error instanceof ScanDeferredError;
      logLine(deferred ? 'info' : 'error', deferred ? 'scan deferred' : 'dispatch failed', {
        scanId: message.data.scanId,
        detail: (error as Error).message,
      });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
