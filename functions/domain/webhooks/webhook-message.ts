// The webhook queue's message schema (WebhookMessage), checked on receipt.
import * as z from '#shared/validation.ts';
import type { WebhookMessage } from './webhook.ts';

export const webhookMessageSchema: z.ZodMiniType<WebhookMessage> = z.union([
  z.object({ kind: z.literal('fanout'), orgId: z.string(), eventId: z.string() }),
  z.object({ kind: z.literal('attempt'), orgId: z.string(), webhookId: z.string(), deliveryId: z.string(), due: z.string() }),
]);
