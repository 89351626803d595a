// The delivery job's work (functions/jobs/webhook-delivery): fan an event out into one delivery
// per subscriber, and attempt a delivery — signed, through the egress policy, retried with
// backoff, paused by the subscription's circuit breaker. At least once: a repeated message finds
// its delivery already made (a deterministic id, created once) or already attempted (a message
// due at another time than the delivery's next attempt is stale), and every attempt carries the
// same webhook-id for receivers to deduplicate.
import { createHash } from 'node:crypto';
import { logger } from '#shared/logging/logger.ts';
import type { PasswordSealer } from '../registries/registry-settings.ts';
import { CIRCUIT_THRESHOLD, MAX_ATTEMPTS, PROBE_INTERVAL_MS, retryDelayMs } from './retry-schedule.ts';
import { signatureHeaders } from './signing.ts';
import {
  CLOSED_CIRCUIT,
  sealingContext,
  type Delivery,
  type DeliveryAttempt,
  type Webhook,
  type WebhookEvent,
  type WebhookMessage,
  type WebhookQueue,
  type WebhookSender,
  type WebhookStore,
} from './webhook.ts';

export interface DeliveryDeps {
  webhooks: WebhookStore;
  queue: WebhookQueue;
  sender: WebhookSender;
  sealer: PasswordSealer;
  now: () => Date;
  random?: () => number;
}

/** SQS holds a message back at most 15 minutes: a later attempt hops until it is due. */
const MAX_DELAY_SECONDS = 900;
const HISTORY_KEPT = 10;

/**
 * The same delivery id for the same event and subscription, however often the fan-out runs;
 * it starts with the event's time, so that the delivery log lists newest first by id.
 */
export const deliveryIdOf = (event: Pick<WebhookEvent, 'id' | 'createdAt'>, webhookId: string) =>
  `dlv_${Date.parse(event.createdAt).toString(36).padStart(9, '0')}${createHash('sha256').update(`${event.id}\n${webhookId}`).digest('hex').slice(0, 16)}`;

/** The body every attempt of an event sends, as Standard Webhooks recommends: type, timestamp, data. */
export const payloadOf = (event: WebhookEvent) => JSON.stringify({ type: event.type, timestamp: event.createdAt, data: event.data });

export const subscribes = (webhook: Webhook, type: WebhookEvent['type']) => webhook.active && (type === 'webhook.test' || webhook.events.includes(type));

export async function handleWebhookMessage(message: WebhookMessage, deps: DeliveryDeps): Promise<void> {
  if (message.kind === 'fanout') return fanOut(message.orgId, message.eventId, deps);
  const due = Date.parse(message.due) - deps.now().getTime();
  // Not yet due (a long delay hops through the queue's 15-minute maximum).
  if (due > 1000) return deps.queue.send(message, Math.min(MAX_DELAY_SECONDS, Math.ceil(due / 1000)));
  const delivery = await deps.webhooks.getDelivery(message.orgId, message.webhookId, message.deliveryId);
  if (!delivery || delivery.status !== 'pending' || delivery.nextAttemptAt !== message.due) return;
  await attempt(delivery, deps);
}

async function fanOut(orgId: string, eventId: string, deps: DeliveryDeps): Promise<void> {
  const event = await deps.webhooks.getEvent(orgId, eventId);
  if (!event) return logger.error('webhook event not found', { orgId, eventId });
  const targetId = event.type === 'webhook.test' ? (event.data.webhookId as string) : undefined;
  const subscribers = (await deps.webhooks.listWebhooks(orgId)).filter((w) => (targetId ? w.id === targetId : subscribes(w, event.type)));
  // One subscriber's failure does not hold the others back: each is its own delivery.
  await Promise.all(subscribers.map((webhook) => startDelivery(webhook, event, deps)));
}

async function startDelivery(webhook: Webhook, event: WebhookEvent, deps: DeliveryDeps): Promise<void> {
  const at = deps.now().toISOString();
  const delivery: Delivery = {
    id: deliveryIdOf(event, webhook.id),
    orgId: webhook.orgId,
    webhookId: webhook.id,
    eventId: event.id,
    eventType: event.type,
    status: 'pending',
    attempts: 0,
    createdAt: at,
    updatedAt: at,
    nextAttemptAt: at,
    history: [],
  };
  if (!(await deps.webhooks.createDelivery(delivery))) {
    // A repeated fan-out: attempt only what the first one created and never got to try.
    const existing = await deps.webhooks.getDelivery(webhook.orgId, webhook.id, delivery.id);
    if (!existing || existing.status !== 'pending' || existing.attempts > 0) return;
    return attempt(existing, deps, webhook, event);
  }
  await attempt(delivery, deps, webhook, event);
}

/** Attempts a pending delivery now (the first attempt is made at once, not through the queue). */
export async function attempt(delivery: Delivery, deps: DeliveryDeps, knownWebhook?: Webhook, knownEvent?: WebhookEvent): Promise<void> {
  const webhook = knownWebhook ?? (await deps.webhooks.getWebhook(delivery.orgId, delivery.webhookId));
  const now = deps.now();
  if (!webhook || !webhook.active) return finish(delivery, 'failed', deps, webhook ? 'The webhook is not active' : 'The webhook was deleted');
  if (webhook.circuit.state === 'open') {
    const probeAt = webhook.circuit.nextProbeAt ?? now.toISOString();
    // The first attempt due after the probe time probes; the others wait for its outcome.
    const probing =
      Date.parse(probeAt) <= now.getTime() &&
      (await deps.webhooks.setCircuit(
        delivery.orgId,
        webhook.id,
        { ...webhook.circuit, nextProbeAt: new Date(now.getTime() + PROBE_INTERVAL_MS).toISOString() },
        { nextProbeAt: webhook.circuit.nextProbeAt },
      ));
    if (!probing) return schedule(delivery, new Date(Math.max(Date.parse(probeAt), now.getTime() + PROBE_INTERVAL_MS / 60)), deps);
  }
  const event = knownEvent ?? (await deps.webhooks.getEvent(delivery.orgId, delivery.eventId));
  if (!event) return finish(delivery, 'failed', deps, 'The event is no longer stored');
  const secrets = await validSecrets(webhook, now, deps.sealer);
  const body = payloadOf(event);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'HarborGuard-Webhooks/1',
    'x-harborguard-event': event.type,
    ...signatureHeaders({ id: delivery.id, timestamp: now, body }, secrets),
  };
  const result = await deps.sender.post({ url: webhook.url, headers, body });
  const attempted: Delivery = {
    ...delivery,
    attempts: delivery.attempts + 1,
    history: [...delivery.history, { at: now.toISOString(), ...result }].slice(-HISTORY_KEPT),
  };
  const succeeded = result.error === null && result.responseStatus !== null && result.responseStatus >= 200 && result.responseStatus < 300;
  if (succeeded) {
    if (webhook.circuit.state === 'open' || webhook.circuit.consecutiveFailures > 0) {
      await deps.webhooks.setCircuit(delivery.orgId, webhook.id, CLOSED_CIRCUIT);
    }
    return finish(attempted, 'succeeded', deps);
  }
  const failures = await deps.webhooks.countFailure(delivery.orgId, webhook.id);
  if (failures >= CIRCUIT_THRESHOLD && webhook.circuit.state === 'closed') {
    const opened = await deps.webhooks.setCircuit(
      delivery.orgId,
      webhook.id,
      { state: 'open', consecutiveFailures: failures, openedAt: now.toISOString(), nextProbeAt: new Date(now.getTime() + PROBE_INTERVAL_MS).toISOString() },
      // Only a closed circuit opens: two failures at once open it once.
      { nextProbeAt: null },
    );
    if (opened) logger.warn('webhook circuit opened', { orgId: delivery.orgId, webhookId: webhook.id, failures });
  }
  const delay = retryDelayMs(attempted.attempts, deps.random);
  if (delay === undefined || attempted.attempts >= MAX_ATTEMPTS) {
    await finish(attempted, 'failed', deps);
    return deps.queue.deadLetter({ kind: 'attempt', orgId: delivery.orgId, webhookId: webhook.id, deliveryId: delivery.id, due: now.toISOString() });
  }
  await schedule(attempted, new Date(now.getTime() + delay), deps);
}

async function validSecrets(webhook: Webhook, now: Date, sealer: PasswordSealer): Promise<string[]> {
  const valid = webhook.secrets.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime());
  const newestFirst = [...valid].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return Promise.all(newestFirst.map((s) => sealer.open(s.sealed, sealingContext(webhook.orgId, webhook.id))));
}

async function schedule(delivery: Delivery, at: Date, deps: DeliveryDeps): Promise<void> {
  const due = at.toISOString();
  await deps.webhooks.saveDelivery({ ...delivery, status: 'pending', nextAttemptAt: due, updatedAt: deps.now().toISOString() });
  const delaySeconds = Math.min(MAX_DELAY_SECONDS, Math.max(0, Math.ceil((at.getTime() - deps.now().getTime()) / 1000)));
  await deps.queue.send({ kind: 'attempt', orgId: delivery.orgId, webhookId: delivery.webhookId, deliveryId: delivery.id, due }, delaySeconds);
}

async function finish(delivery: Delivery, status: 'succeeded' | 'failed', deps: DeliveryDeps, reason?: string): Promise<void> {
  const at = deps.now().toISOString();
  const history: DeliveryAttempt[] = reason
    ? [...delivery.history, { at, responseStatus: null, durationMs: 0, responseBody: '', error: reason }]
    : delivery.history;
  await deps.webhooks.saveDelivery({ ...delivery, status, nextAttemptAt: null, updatedAt: at, history: history.slice(-HISTORY_KEPT) });
}

/** Makes a finished delivery pending again, due now: POST …/deliveries/{id}/redeliver. */
export async function redeliver(delivery: Delivery, deps: Pick<DeliveryDeps, 'webhooks' | 'queue' | 'now'>): Promise<Delivery> {
  const now = deps.now().toISOString();
  const again: Delivery = { ...delivery, status: 'pending', attempts: 0, nextAttemptAt: now, updatedAt: now };
  await deps.webhooks.saveDelivery(again);
  await deps.queue.send({ kind: 'attempt', orgId: again.orgId, webhookId: again.webhookId, deliveryId: again.id, due: now });
  return again;
}
