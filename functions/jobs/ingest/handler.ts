// Lambda on the ingest queue: ingests each upload that POST /api/scans/upload accepted with 202.
// Ingest is all or nothing and repeatable, so a failed request is simply delivered again
// (sqs-batch-handler.ts); one that can never succeed (malformed, superseded) is dropped.
import { ingestRequestMessageSchema, runIngestRequest } from '#domain/scans/ingest-request.ts';
import { ingestDependencies } from '../../composition/ingest.ts';
import { logger } from '#shared/logging/logger.ts';
import { sqsBatchHandler } from '../sqs-batch-handler.ts';

export const handler = sqsBatchHandler({
  what: 'ingest',
  schema: ingestRequestMessageSchema,
  async handle(message) {
    const outcome = await runIngestRequest(message, ingestDependencies());
    logger.info(`ingest ${outcome}`, { scanId: message.scanId, orgId: message.orgId });
  },
});
