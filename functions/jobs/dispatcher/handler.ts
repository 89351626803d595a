// Lambda on the scan queue: starts a scanner task for each queued scan. A message that must wait
// (caps) or failed transiently is retried by SQS later (sqs-batch-handler.ts).
import { dispatchScan, scanRequestMessageSchema, ScanDeferredError } from '#domain/pipeline/dispatch-scan.ts';
import { dispatcherDependencies } from '../../composition/dispatcher.ts';
import { logger } from '#shared/logging/logger.ts';
import { sqsBatchHandler } from '../sqs-batch-handler.ts';

export const handler = sqsBatchHandler({
  what: 'scan',
  schema: scanRequestMessageSchema,
  async handle(message) {
    const outcome = await dispatchScan(message, dispatcherDependencies());
    logger.info(`scan ${outcome}`, { scanId: message.scanId, orgId: message.orgId });
  },
  onFailure(message, error) {
    const deferred = error instanceof ScanDeferredError;
    if (deferred) logger.info('scan deferred', { scanId: message.scanId, detail: error.message });
    else logger.error('dispatch failed', { scanId: message.scanId, orgId: message.orgId, error });
  },
});
