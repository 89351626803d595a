// Publishing an event: stored once, then handed to the delivery job, which fans it out to the
// organisation's subscribers. The publisher's cost is one write and one message whatever the
// number of subscribers. Event ids are derived from what happened (a scan's completion has one
// id), so a repeated publish stores nothing new and delivers nothing twice.
import { logger } from '#shared/logging/logger.ts';
import type { WebhookEvent, WebhookQueue, WebhookStore } from './webhook.ts';

export interface EventPublisher {
  publish(events: WebhookEvent[]): Promise<void>;
}

export function webhookEventPublisher(deps: { webhooks: WebhookStore; queue: WebhookQueue }): EventPublisher {
  return {
    async publish(events) {
      // Each event is stored before its fan-out message is sent; the events are independent.
      await Promise.all(
        events.map(async (event) => {
          await deps.webhooks.putEvent(event);
          await deps.queue.send({ kind: 'fanout', orgId: event.orgId, eventId: event.id });
        }),
      );
    },
  };
}

/**
 * Publishes after the state change it reports has committed. A failure to publish is logged and
 * does not undo or fail that change (a cancelled scan stays cancelled); see docs/WEBHOOKS.md.
 */
export async function publishAfterCommit(publisher: EventPublisher, events: WebhookEvent[]): Promise<void> {
  if (events.length === 0) return;
  await publisher.publish(events).catch((error: Error) => {
    logger.error('webhook events not published', { orgId: events[0]!.orgId, events: events.map((e) => e.id), error });
  });
}
