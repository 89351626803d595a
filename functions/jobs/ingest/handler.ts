// Lambda on the ingest queue (SQS event source with ReportBatchItemFailures): ingests each
// upload that POST /api/scans/upload accepted with 202. Ingest is all or nothing and
// repeatable, so a failed request is reported as a batch item failure and SQS delivers it
// again; one that can never succeed (malformed, superseded) is dropped.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ingestRequestMessageSchema, runIngestRequest } from '#domain/scans/ingest-request.ts';
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
    const message = ingestRequestMessageSchema.safeParse(body);
    if (!message.success) {
      logLine('error', 'dropped malformed ingest message', { messageId: record.messageId });
      continue;
    }
    const { scanId, orgId } = message.data;
    try {
      const outcome = await runIngestRequest(message.data, dependencies());
      logLine('info', `ingest ${outcome}`, { scanId, orgId });
    } catch (error) {
      logLine('error', 'ingest failed', { scanId, orgId, detail: (error as Error).message });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
