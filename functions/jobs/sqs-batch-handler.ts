// The shape of every queue-fed job (SQS event source with ReportBatchItemFailures): each record
// is parsed against its message schema; a malformed one can never succeed and is dropped
// (logged) instead of looping to the dead-letter queue; a failed one is reported as a batch item
// failure, so SQS delivers it again later while the rest of the batch is deleted.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type * as z from '#shared/validation.ts';
import { logger } from '#shared/logging/logger.ts';
import { logInvocation } from './job-context.ts';

export interface QueueJob<T> {
  /** What a message is, for log lines ("scan", "ingest"). */
  what: string;
  schema: z.ZodMiniType<T>;
  handle(message: T): Promise<void>;
  /** Logs a failure (default: an error line); the message is retried either way. */
  onFailure?(message: T, error: Error): void;
  /**
   * Handle a batch's records at once rather than in order: for messages that are independent and
   * mostly wait (webhook deliveries, each up to a 10 s timeout), so that a batch costs its slowest
   * record instead of their sum, and one hanging receiver does not hold up the others.
   */
  concurrent?: boolean;
}

function parse<T>(body: string, schema: z.ZodMiniType<T>): T | undefined {
  try {
    const result = schema.safeParse(JSON.parse(body));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

export function sqsBatchHandler<T extends { orgId?: string; scanId?: string }>(
  job: QueueJob<T>,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  return async (event, context) => {
    logInvocation(context);
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const handleRecord = async (record: SQSEvent['Records'][number]) => {
      const message = parse(record.body, job.schema);
      if (!message) {
        logger.error(`dropped malformed ${job.what} message`, { messageId: record.messageId });
        return;
      }
      try {
        await job.handle(message);
      } catch (error) {
        if (job.onFailure) job.onFailure(message, error as Error);
        else logger.error(`${job.what} failed`, { scanId: message.scanId, orgId: message.orgId, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    };
    if (job.concurrent) await Promise.all(event.Records.map(handleRecord));
    else for (const record of event.Records) await handleRecord(record);
    return { batchItemFailures };
  };
}
