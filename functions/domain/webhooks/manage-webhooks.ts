// Admins manage their organisation's webhook subscriptions: create (the signing secret shown
// once), read, change, delete, rotate the secret, send a test event, read the delivery log and
// redeliver. Every change is audited, never with a secret.
import { randomBytes } from 'node:crypto';
import * as z from '#shared/validation.ts';
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import type { PasswordSealer } from '../registries/registry-settings.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import { redeliver } from './deliver.ts';
import { EVENT_TYPE_NAMES } from './event-types.ts';
import type { EventPublisher } from './publish-events.ts';
import { generateSigningSecret } from './signing.ts';
import { checkReceiverUrl } from './webhook-url.ts';
import { CLOSED_CIRCUIT, sealingContext, type Delivery, type Webhook, type WebhookQueue, type WebhookStore } from './webhook.ts';

/** How long a rotated-out secret keeps signing, so receivers can switch without dropping deliveries. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;
const MAX_WEBHOOKS = 25;

const fields = {
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  events: z.array(z.enum(EVENT_TYPE_NAMES)).check(
    z.minLength(1),
    z.maxLength(EVENT_TYPE_NAMES.length),
    z.refine((events) => new Set(events).size === events.length, 'list each event once'),
  ),
  description: z.string().check(z.maxLength(500)),
  active: z.boolean(),
};
export const createWebhookSchema = z.strictObject({
  url: fields.url,
  events: fields.events,
  description: z.optional(fields.description),
  active: z.optional(fields.active),
});
export const updateWebhookSchema = z
  .strictObject({
    url: z.optional(fields.url),
    events: z.optional(fields.events),
    description: z.optional(fields.description),
    active: z.optional(fields.active),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'give at least one of url, events, description, active'));

export interface WebhookAdminDeps {
  webhooks: WebhookStore;
  webhookQueue: WebhookQueue;
  events: EventPublisher;
  sealer: PasswordSealer;
  triage: Pick<TriageStore, 'appendAudit'>;
  settings: { egress: EgressPolicy };
  now: () => Date;
}

/** What the API shows of a subscription: never a secret. */
export function webhookView(webhook: Webhook) {
  const { id, url, events, description, active, circuit, createdAt, updatedAt, updatedBy } = webhook;
  return { id, url, events, description, active, circuit, createdAt, updatedAt, updatedBy };
}
export type WebhookView = ReturnType<typeof webhookView>;

const notFound = (webhookId: string) => new NotFoundError(`Webhook ${webhookId} not found`);
const newWebhookId = () => `wh_${randomBytes(9).toString('base64url')}`;

async function sealedSecret(orgId: string, webhookId: string, sealer: PasswordSealer, at: string) {
  const secret = generateSigningSecret();
  return { secret, sealed: { sealed: await sealer.seal(secret, sealingContext(orgId, webhookId)), createdAt: at, expiresAt: null } };
}

export async function createWebhook(actor: Principal, body: z.infer<typeof createWebhookSchema>, deps: WebhookAdminDeps) {
  const url = checkReceiverUrl(body.url, deps.settings.egress);
  if ((await deps.webhooks.listWebhooks(actor.orgId)).length >= MAX_WEBHOOKS)
    throw new ValidationError(`An organisation has at most ${MAX_WEBHOOKS} webhooks; delete one first`);
  const at = deps.now().toISOString();
  const id = newWebhookId();
  const { secret, sealed } = await sealedSecret(actor.orgId, id, deps.sealer, at);
  const webhook: Webhook = {
    id,
    orgId: actor.orgId,
    url,
    events: body.events,
    description: body.description ?? '',
    active: body.active ?? true,
    circuit: CLOSED_CIRCUIT,
    secrets: [sealed],
    createdAt: at,
    updatedAt: at,
    updatedBy: actorName(actor),
  };
  await deps.webhooks.putWebhook(webhook);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, new Date(at)), action: 'webhook.create', target: id, after: webhookView(webhook) });
  return { ...webhookView(webhook), secret };
}

async function existing(actor: Principal, webhookId: string, deps: Pick<WebhookAdminDeps, 'webhooks'>): Promise<Webhook> {
  const webhook = await deps.webhooks.getWebhook(actor.orgId, webhookId);
  if (!webhook) throw notFound(webhookId);
  return webhook;
}

export const getWebhook = async (actor: Principal, webhookId: string, deps: Pick<WebhookAdminDeps, 'webhooks'>) =>
  webhookView(await existing(actor, webhookId, deps));

export const listWebhooks = async (actor: Principal, deps: Pick<WebhookAdminDeps, 'webhooks'>) =>
  (await deps.webhooks.listWebhooks(actor.orgId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(webhookView);

export async function updateWebhook(actor: Principal, webhookId: string, body: z.infer<typeof updateWebhookSchema>, deps: WebhookAdminDeps) {
  const before = await existing(actor, webhookId, deps);
  const at = deps.now().toISOString();
  const after: Webhook = {
    ...before,
    ...(body.url !== undefined ? { url: checkReceiverUrl(body.url, deps.settings.egress) } : {}),
    ...(body.events !== undefined ? { events: body.events } : {}),
    ...(body.description !== undefined ? { description: body.description } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    // Turning a subscription on by hand closes its circuit: the user says the receiver is back.
    ...(body.active === true ? { circuit: CLOSED_CIRCUIT } : {}),
    updatedAt: at,
    updatedBy: actorName(actor),
  };
  await deps.webhooks.putWebhook(after);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, new Date(at)),
    action: 'webhook.update',
    target: webhookId,
    before: webhookView(before),
    after: webhookView(after),
  });
  return webhookView(after);
}

export async function deleteWebhook(actor: Principal, webhookId: string, deps: WebhookAdminDeps): Promise<void> {
  const removed = await deps.webhooks.deleteWebhook(actor.orgId, webhookId);
  if (!removed) throw notFound(webhookId);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'webhook.delete', target: webhookId, before: webhookView(removed) });
}

/** A new secret, shown once; the previous one keeps signing for ROTATION_OVERLAP_MS. */
export async function rotateWebhookSecret(actor: Principal, webhookId: string, deps: WebhookAdminDeps) {
  const before = await existing(actor, webhookId, deps);
  const now = deps.now();
  const at = now.toISOString();
  const overlapEnds = new Date(now.getTime() + ROTATION_OVERLAP_MS).toISOString();
  const { secret, sealed } = await sealedSecret(actor.orgId, webhookId, deps.sealer, at);
  const kept = before.secrets
    .filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime())
    .map((s) => ({ ...s, expiresAt: s.expiresAt ?? overlapEnds }));
  await deps.webhooks.putWebhook({ ...before, secrets: [sealed, ...kept], updatedAt: at, updatedBy: actorName(actor) });
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, now), action: 'webhook.rotate-secret', target: webhookId });
  return { id: webhookId, secret, previousSecretExpiresAt: kept.length > 0 ? overlapEnds : null };
}

/** Sends webhook.test to this subscription alone, whatever its event list. */
export async function testWebhook(actor: Principal, webhookId: string, deps: WebhookAdminDeps) {
  const webhook = await existing(actor, webhookId, deps);
  const at = deps.now().toISOString();
  const event = {
    id: `evt_test_${randomBytes(9).toString('base64url')}`,
    orgId: actor.orgId,
    type: 'webhook.test' as const,
    createdAt: at,
    data: { webhookId: webhook.id, message: `A test event sent by ${actorName(actor)}` },
  };
  await deps.events.publish([event]);
  return { eventId: event.id };
}

export function deliveryView(delivery: Delivery) {
  const { id, eventId, eventType, status, attempts, createdAt, updatedAt, nextAttemptAt, history } = delivery;
  const last = history.at(-1);
  return {
    id,
    eventId,
    eventType,
    status,
    attempts,
    createdAt,
    updatedAt,
    nextAttemptAt,
    responseStatus: last?.responseStatus ?? null,
    durationMs: last?.durationMs ?? null,
    responseBody: last?.responseBody ?? null,
    error: last?.error ?? null,
    history,
  };
}

export async function listDeliveries(actor: Principal, webhookId: string, page: { limit: number; after?: string }, deps: WebhookAdminDeps) {
  await existing(actor, webhookId, deps);
  const { items, next } = await deps.webhooks.listDeliveries(actor.orgId, webhookId, page);
  return { items: items.map(deliveryView), next };
}

export async function redeliverDelivery(actor: Principal, webhookId: string, deliveryId: string, deps: WebhookAdminDeps) {
  await existing(actor, webhookId, deps);
  const delivery = await deps.webhooks.getDelivery(actor.orgId, webhookId, deliveryId);
  if (!delivery) throw new NotFoundError(`Delivery ${deliveryId} not found`);
  const again = await redeliver(delivery, { webhooks: deps.webhooks, queue: deps.webhookQueue, now: deps.now });
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'webhook.redeliver', target: deliveryId });
  return deliveryView(again);
}
