// Lambda on the webhook queue: fans events out to their subscribers and attempts deliveries
// (functions/domain/webhooks/deliver.ts). An attempt's failure is the receiver's and is
// scheduled again by the domain; a thrown error (the table or queue failing) leaves the message
// for SQS to deliver again, and three such failures redrive it to the dead-letter queue.
import { handleWebhookMessage } from '#domain/webhooks/deliver.ts';
import { webhookMessageSchema } from '#domain/webhooks/webhook-message.ts';
import { webhookDeliveryDependencies } from '../../composition/webhook-delivery.ts';
import { sqsBatchHandler } from '../sqs-batch-handler.ts';

export const handler = sqsBatchHandler({
  what: 'webhook',
  schema: webhookMessageSchema,
  // Ten receivers that each hang cost one 10 s timeout together, well inside the function's minute.
  concurrent: true,
  handle: (message) => handleWebhookMessage(message, webhookDeliveryDependencies()),
});
