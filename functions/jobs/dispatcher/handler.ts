// Lambda on the scan queue: starts a scanner task for each queued scan. A message that must wait
// (caps) or failed transiently is retried by SQS later (sqs-batch-handler.ts).
import { dispatchScan, scanRequestMessageSchema, ScanDeferredError } from '#domain/pipeline/dispatch-scan.ts';
import { dispatcherDependencies } from '../../composition/dispatcher.ts';
import { logLine } from '../log-line.ts';
import { sqsBatchHandler } from '../sqs-batch-handler.ts';

export const handler = sqsBatchHandler({
  what: 'scan',
  schema: scanRequestMessageSchema,
  async handle(message) {
    const outcome = await dispatchScan(message, dispatcherDependencies());
    logLine('info', `scan ${outcome}`, { scanId: message.scanId, orgId: message.orgId });
  },
  onFailure(message, error) {
    const deferred = error instanceof ScanDeferredError;
    logLine(deferred ? 'info' : 'error', deferred ? 'scan deferred' : 'dispatch failed', { scanId: message.scanId, detail: error.message });
  },
});
