// Lambda on the watch queue: plans a re-match run when a snapshot is published (EventBridge puts
// the request on the queue) or an admin asks for one, and works the run's batches
// (functions/domain/watch/). A failure leaves the message for SQS to deliver again: planning
// and counting are idempotent per request and per batch.
import { handleWatchMessage, watchMessageSchema } from '#domain/watch/watch-message.ts';
import { rematchDependencies } from '../../composition/rematch.ts';
import { sqsBatchHandler } from '../sqs-batch-handler.ts';

export const handler = sqsBatchHandler({
  what: 'rematch',
  schema: watchMessageSchema,
  handle: (message) => handleWatchMessage(message, rematchDependencies()),
});
