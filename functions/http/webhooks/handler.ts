// Route group: the organisation's outbound webhooks (admin): subscriptions, their signing
// secrets (shown once, at creation and rotation), test events, the delivery log and redelivery.
// Opens signing secrets to seal them, so it holds the registry key (infra/route-access.ts).
import { MANUAL_DELIVERIES } from '#domain/rate-limit/rate-limiter.ts';
import { EVENT_TYPE_NAMES } from '#domain/webhooks/event-types.ts';
import {
  createWebhook,
  createWebhookSchema,
  deleteWebhook,
  getWebhook,
  listDeliveries,
  listWebhooks,
  redeliverDelivery,
  rotateWebhookSecret,
  testWebhook,
  updateWebhook,
  updateWebhookSchema,
} from '#domain/webhooks/manage-webhooks.ts';
import { DELIVERY_STATUSES } from '#domain/webhooks/webhook.ts';
import { ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import { dataOf, deletedOf, idParam, isoTime, named } from '../api-schemas.ts';
import { jsonBody, queryParameters } from '../http-request.ts';
import { json } from '../http-response.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route, type RouteContext } from '../route.ts';

const tags = ['Webhooks'] as const;
const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;
const WEBHOOK_ID = /^wh_[A-Za-z0-9_-]{1,64}$/;
const DELIVERY_ID = /^dlv_[a-z0-9]{16,48}$/;
const MAX_PAGE = 100;

const webhookParams = z.object({ webhookId: idParam(WEBHOOK_ID, 'The webhook, e.g. wh_3kp9q1xYz0aB') });
const deliveryParams = z.extend(webhookParams, { deliveryId: idParam(DELIVERY_ID, 'The delivery, as its `id` in the delivery log') });

const circuitSchema = named(
  'WebhookCircuit',
  z.object({
    state: z.enum(['closed', 'open']),
    consecutiveFailures: z.int(),
    openedAt: z.nullable(isoTime),
    nextProbeAt: z.nullable(isoTime),
  }),
);
const webhookSchema = named(
  'Webhook',
  z.object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPE_NAMES)),
    description: z.string(),
    active: z.boolean(),
    circuit: circuitSchema,
    createdAt: isoTime,
    updatedAt: isoTime,
    updatedBy: z.string(),
  }),
);
const secretField = z.string().check(z.describe('The signing secret (whsec_…): in this answer only'));
const attemptSchema = z.object({
  at: isoTime,
  responseStatus: z.nullable(z.int()),
  durationMs: z.number(),
  responseBody: z.string().check(z.describe("The first 1 KB of the receiver's answer")),
  error: z.nullable(z.string()),
});
const deliverySchema = named(
  'WebhookDelivery',
  z.object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.enum(EVENT_TYPE_NAMES),
    status: z.enum(DELIVERY_STATUSES),
    attempts: z.int(),
    createdAt: isoTime,
    updatedAt: isoTime,
    nextAttemptAt: z.nullable(isoTime),
    responseStatus: z.nullable(z.int()),
    durationMs: z.nullable(z.number()),
    responseBody: z.nullable(z.string()),
    error: z.nullable(z.string()),
    history: z.array(attemptSchema),
  }),
);

const webhookIdOf = (context: RouteContext) => pathParameter(context, 'webhookId', WEBHOOK_ID, 'Webhook');

/** ?limit (1–100, default 20) and ?after (the last delivery id of the previous page). */
function deliveryPage(context: RouteContext) {
  const { limit: rawLimit = '20', after, ...unknown } = queryParameters(context.event);
  const limit = Number(rawLimit);
  const issues = [
    ...(Number.isInteger(limit) && limit >= 1 && limit <= MAX_PAGE ? [] : [{ path: 'limit', message: `must be an integer from 1 to ${MAX_PAGE}` }]),
    ...(after !== undefined && !DELIVERY_ID.test(after) ? [{ path: 'after', message: 'not a delivery id' }] : []),
    ...Object.keys(unknown).map((name) => ({ path: name, message: 'unknown query parameter' })),
  ];
  if (issues.length > 0) throw new ValidationError(`Invalid query parameter: ${issues.map((i) => i.path).join(', ')}`, issues);
  return { limit, ...(after !== undefined ? { after } : {}) };
}

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/webhooks',
    access: ADMINS,
    doc: {
      summary: 'Subscribe a URL to events',
      description:
        'The URL must be https (plain http only to loopback in a local deployment) and reach a public address. The signing secret is in this answer only; docs/WEBHOOKS.md shows how a receiver verifies it.',
      tags,
      body: createWebhookSchema,
      responses: { 201: { description: 'The subscription, with its signing secret', schema: dataOf(z.extend(webhookSchema, { secret: secretField })) } },
    },
    async handle({ event, principal, deps }) {
      return json(201, { data: await createWebhook(principal, jsonBody(event, createWebhookSchema, 16 * 1024), deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/webhooks',
    access: ADMINS,
    doc: {
      summary: "List the organisation's webhooks",
      tags,
      responses: { 200: { description: 'The subscriptions, oldest first, without secrets', schema: dataOf(z.array(webhookSchema)) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: await listWebhooks(principal, deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/webhooks/{webhookId}',
    access: ADMINS,
    doc: { summary: 'Get a webhook', tags, params: webhookParams, responses: { 200: { description: 'The subscription', schema: dataOf(webhookSchema) } } },
    async handle(context) {
      return json(200, { data: await getWebhook(context.principal, webhookIdOf(context), context.deps) });
    },
  },
  {
    method: 'PATCH',
    resource: '/api/webhooks/{webhookId}',
    access: ADMINS,
    doc: {
      summary: 'Change a webhook',
      description: '`active: true` also resumes a subscription its circuit breaker paused.',
      tags,
      params: webhookParams,
      body: updateWebhookSchema,
      responses: { 200: { description: 'The subscription', schema: dataOf(webhookSchema) } },
    },
    async handle(context) {
      const webhookId = webhookIdOf(context);
      return json(200, { data: await updateWebhook(context.principal, webhookId, jsonBody(context.event, updateWebhookSchema, 16 * 1024), context.deps) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/webhooks/{webhookId}',
    access: ADMINS,
    doc: { summary: 'Delete a webhook', tags, params: webhookParams, responses: { 200: { description: 'Deleted', schema: deletedOf('id') } } },
    async handle(context) {
      const webhookId = webhookIdOf(context);
      await deleteWebhook(context.principal, webhookId, context.deps);
      return json(200, { data: { id: webhookId, deleted: true } });
    },
  },
  {
    method: 'POST',
    resource: '/api/webhooks/{webhookId}/rotate-secret',
    access: ADMINS,
    rateLimit: MANUAL_DELIVERIES,
    doc: {
      summary: "Rotate a webhook's signing secret",
      description:
        'The new secret is in this answer only. For 24 hours deliveries carry a signature by each secret, so receivers can switch without dropping any.',
      tags,
      params: webhookParams,
      responses: {
        200: {
          description: 'The new secret',
          schema: dataOf(z.object({ id: z.string(), secret: secretField, previousSecretExpiresAt: z.nullable(isoTime) })),
        },
      },
    },
    async handle(context) {
      return json(200, { data: await rotateWebhookSecret(context.principal, webhookIdOf(context), context.deps) });
    },
  },
  {
    method: 'POST',
    resource: '/api/webhooks/{webhookId}/test',
    access: ADMINS,
    rateLimit: MANUAL_DELIVERIES,
    doc: {
      summary: 'Send a webhook.test event',
      description: 'To this subscription alone, whatever events it lists; its delivery appears in the delivery log.',
      tags,
      params: webhookParams,
      responses: { 202: { description: 'Sent for delivery', schema: dataOf(z.object({ eventId: z.string() })) } },
    },
    async handle(context) {
      return json(202, { data: await testWebhook(context.principal, webhookIdOf(context), context.deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/webhooks/{webhookId}/deliveries',
    access: ADMINS,
    doc: {
      summary: "A webhook's delivery log",
      description: 'Newest first, kept 30 days; follow `links.next` for older deliveries.',
      tags,
      params: webhookParams,
      query: z.object({
        limit: z.optional(z.int().check(z.gte(1), z.lte(MAX_PAGE), z.describe('Deliveries per page (default 20)'))),
        after: z.optional(z.string().check(z.describe('From links.next of the previous page'))),
      }),
      responses: {
        200: {
          description: 'A page of deliveries',
          schema: z.object({ data: z.array(deliverySchema), links: z.object({ self: z.string(), next: z.optional(z.string()) }) }),
        },
      },
    },
    async handle(context) {
      const webhookId = webhookIdOf(context);
      const page = deliveryPage(context);
      const { items, next } = await listDeliveries(context.principal, webhookId, page, context.deps);
      const base = `/api/webhooks/${webhookId}/deliveries?limit=${page.limit}`;
      return json(200, { data: items, links: { self: page.after ? `${base}&after=${page.after}` : base, ...(next ? { next: `${base}&after=${next}` } : {}) } });
    },
  },
  {
    method: 'POST',
    resource: '/api/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver',
    access: ADMINS,
    rateLimit: MANUAL_DELIVERIES,
    doc: {
      summary: 'Deliver an event again',
      description: 'With the same webhook-id as before, so a receiver that already has it can tell; a new attempt in the same delivery log entry.',
      tags,
      params: deliveryParams,
      responses: { 202: { description: 'Queued for delivery', schema: dataOf(deliverySchema) } },
    },
    async handle(context) {
      const webhookId = webhookIdOf(context);
      const deliveryId = pathParameter(context, 'deliveryId', DELIVERY_ID, 'Delivery');
      return json(202, { data: await redeliverDelivery(context.principal, webhookId, deliveryId, context.deps) });
    },
  },
];

export const handler = httpHandler(routes);
