// Retries, the circuit breaker and bounded receivers, on the real table, sealer, egress sender
// and an HTTP receiver on 127.0.0.1, with the delivery job's own dependencies
// (functions/composition/webhook-delivery.ts). Two of them are replaced: the clock, so that
// hours of backoff pass in a test, and the queue, which records each message and its delay
// instead of holding it back for up to 15 minutes; the test hands each message to the job's
// domain function as SQS would, when it is due.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DELIVERY_TIMEOUT_MS, EgressWebhookSender } from '../../functions/adapters/http/webhook-sender.ts';
import { egressPolicy } from '../../shared/egress/egress-policy.ts';
import type { DeliveryDeps } from '../../functions/domain/webhooks/deliver.ts';
import type { WebhookMessage } from '../../functions/domain/webhooks/webhook.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let receiver: Server;
let base: string;
/** What /hook answers, one status per request in order; 200 once they run out. */
let answers: number[] = [];
const received: Array<{ headers: Record<string, string>; body: string }> = [];
const closedSockets: string[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('retries');
  admin = apiKey(org.apiKeys.admin);
  receiver = createServer((request, response: ServerResponse) => {
    const path = request.url ?? '';
    if (path === '/hang' || path === '/drip') request.socket.once('close', () => closedSockets.push(path));
    if (path === '/hang') return; // accepts, reads nothing, never answers
    if (path === '/drip') {
      response.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => response.write('x'), 20);
      response.once('close', () => clearInterval(timer));
      return;
    }
    if (path === '/big') return void response.writeHead(200).end('y'.repeat(5_000_000));
    if (path === '/redirect') return void response.writeHead(307, { location: 'http://169.254.169.254/latest' }).end();
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])), body: Buffer.concat(chunks).toString() });
      response.writeHead(answers.shift() ?? 200).end('answered');
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await stack?.close();
  receiver?.closeAllConnections();
  await new Promise((resolve) => receiver?.close(resolve));
});

interface Harness {
  deps: DeliveryDeps;
  /** Messages sent to the queue, with their delay in seconds, oldest first. */
  sent: Array<{ message: WebhookMessage; delaySeconds: number }>;
  deadLettered: WebhookMessage[];
  advance(ms: number): void;
}

async function harness(): Promise<Harness> {
  const { webhookDeliveryDependencies } = await import('../../functions/composition/webhook-delivery.ts');
  let now = Date.now();
  const sent: Harness['sent'] = [];
  const deadLettered: WebhookMessage[] = [];
  const deps: DeliveryDeps = {
    ...webhookDeliveryDependencies(),
    queue: {
      send: async (message, delaySeconds = 0) => void sent.push({ message, delaySeconds }),
      deadLetter: async (message) => void deadLettered.push(message),
    },
    now: () => new Date(now),
    // No jitter: the delays are the schedule's own.
    random: () => 0.5,
  };
  return { deps, sent, deadLettered, advance: (ms) => (now += ms) };
}

async function subscribe(): Promise<{ id: string; secret: string }> {
  const created = await call(stack.baseUrl, 'POST', '/api/webhooks', admin, { url: `${base}/hook`, events: ['scan.completed'] });
  expect(created.status).toBe(201);
  return created.body.data;
}

/** A stored webhook.test event for one subscription, and its fan-out message. */
async function eventFor(h: Harness, webhookId: string, n: number): Promise<WebhookMessage> {
  const id = `evt_retry_${webhookId}_${n}`;
  await h.deps.webhooks.putEvent({
    id,
    orgId: org.orgId,
    type: 'webhook.test',
    createdAt: h.deps.now().toISOString(),
    data: { webhookId, message: `event ${n}` },
  });
  return { kind: 'fanout', orgId: org.orgId, eventId: id };
}

const webhookOf = async (id: string) => (await call(stack.baseUrl, 'GET', `/api/webhooks/${id}`, admin)).body.data;
const deliveriesOf = async (id: string) => (await call(stack.baseUrl, 'GET', `/api/webhooks/${id}/deliveries?limit=50`, admin)).body.data;

it('retries 500, 500 then 200 on the backoff schedule with the same webhook-id, never early, and ignores a stale message', async () => {
  const h = await harness();
  const webhook = await subscribe();
  answers = [500, 500];
  received.length = 0;
  const { handleWebhookMessage } = await import('../../functions/domain/webhooks/deliver.ts');

  await handleWebhookMessage(await eventFor(h, webhook.id, 1), h.deps);
  expect(received).toHaveLength(1);
  const firstRetry = h.sent.shift()!;
  expect(firstRetry.delaySeconds).toBe(30);

  // Handed over early (SQS delays are approximate): it waits again rather than attempting.
  await handleWebhookMessage(firstRetry.message, h.deps);
  expect(received).toHaveLength(1);
  expect(h.sent.shift()).toEqual({ message: firstRetry.message, delaySeconds: 30 });

  h.advance(30_000);
  await handleWebhookMessage(firstRetry.message, h.deps);
  expect(received).toHaveLength(2);
  const secondRetry = h.sent.shift()!;
  expect(secondRetry.delaySeconds).toBe(120);
  // A repeated copy of the first retry's message is stale now: nothing is sent.
  await handleWebhookMessage(firstRetry.message, h.deps);
  expect(received).toHaveLength(2);

  h.advance(120_000);
  await handleWebhookMessage(secondRetry.message, h.deps);
  expect(received).toHaveLength(3);
  expect(h.sent).toHaveLength(0);

  expect(new Set(received.map((r) => r.headers['webhook-id'])).size).toBe(1);
  const stamps = received.map((r) => Number(r.headers['webhook-timestamp']));
  expect([stamps[1]! - stamps[0]!, stamps[2]! - stamps[1]!]).toEqual([30, 120]);
  for (const r of received) new StandardWebhook(webhook.secret).verify(r.body, r.headers);

  const [delivery] = await deliveriesOf(webhook.id);
  expect(delivery).toMatchObject({ status: 'succeeded', attempts: 3, nextAttemptAt: null, responseStatus: 200 });
  expect(delivery.history.map((a: { responseStatus: number }) => a.responseStatus)).toEqual([500, 500, 200]);
  // Failures followed by a success leave the circuit closed, its count reset.
  expect((await webhookOf(webhook.id)).circuit).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
});

it('opens the circuit after five consecutive failures, holds deliveries back without calling the receiver, probes after an hour and closes on success', async () => {
  const h = await harness();
  const webhook = await subscribe();
  const { handleWebhookMessage } = await import('../../functions/domain/webhooks/deliver.ts');
  answers = [500, 500, 500, 500, 500];
  received.length = 0;
  for (let n = 1; n <= 5; n++) await handleWebhookMessage(await eventFor(h, webhook.id, n), h.deps);
  expect(received).toHaveLength(5);
  const opened = (await webhookOf(webhook.id)).circuit;
  expect(opened).toMatchObject({ state: 'open', consecutiveFailures: 5 });
  expect(Date.parse(opened.nextProbeAt) - Date.parse(opened.openedAt)).toBe(3_600_000);

  // While open, a new event is recorded and held for the probe time: the receiver hears nothing.
  h.sent.length = 0;
  await handleWebhookMessage(await eventFor(h, webhook.id, 6), h.deps);
  expect(received).toHaveLength(5);
  const held = h.sent.shift()!;
  expect(held.message).toMatchObject({ kind: 'attempt', due: opened.nextProbeAt });
  const heldDelivery = (await deliveriesOf(webhook.id)).find((d: { id: string }) => d.id === (held.message as { deliveryId: string }).deliveryId);
  expect(heldDelivery).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: opened.nextProbeAt });

  // An hour on, the held delivery is the probe; the receiver is back, so the circuit closes.
  h.advance(3_600_000);
  await handleWebhookMessage(held.message, h.deps);
  expect(received).toHaveLength(6);
  expect(JSON.parse(received[5]!.body).data.message).toBe('event 6');
  expect((await webhookOf(webhook.id)).circuit).toEqual({ state: 'closed', consecutiveFailures: 0, openedAt: null, nextProbeAt: null });
});

it('gives up after six attempts: the delivery is failed with its history and the message goes to the dead-letter queue', async () => {
  const h = await harness();
  const webhook = await subscribe();
  const { handleWebhookMessage } = await import('../../functions/domain/webhooks/deliver.ts');
  answers = Array(6).fill(503);
  received.length = 0;
  await handleWebhookMessage(await eventFor(h, webhook.id, 1), h.deps);
  const delays: number[] = [];
  while (h.sent.length > 0) {
    const { message } = h.sent.shift()!;
    const due = Date.parse((message as { due: string }).due) - h.deps.now().getTime();
    delays.push(due / 1000);
    h.advance(due);
    await handleWebhookMessage(message, h.deps);
  }
  expect(delays).toEqual([30, 120, 600, 3600, 21_600]);
  expect(received).toHaveLength(6);
  expect(h.deadLettered).toHaveLength(1);
  const [delivery] = await deliveriesOf(webhook.id);
  expect(delivery).toMatchObject({ status: 'failed', attempts: 6, nextAttemptAt: null, responseStatus: 503 });
  expect(delivery.history).toHaveLength(6);
});

it(
  'bounds what a receiver costs: one timeout for a receiver that hangs or drips, 1 KB of a large answer, no redirect followed',
  { timeout: 40_000 },
  async () => {
    const sender = new EgressWebhookSender(egressPolicy('127.0.0.0/8'));
    const post = (path: string) => sender.post({ url: `${base}${path}`, headers: { 'content-type': 'application/json' }, body: '{}' });
    const [hung, dripping, big, redirected] = await Promise.all([post('/hang'), post('/drip'), post('/big'), post('/redirect')]);

    expect(hung).toMatchObject({ responseStatus: null, error: `No answer within ${DELIVERY_TIMEOUT_MS / 1000} s` });
    expect(hung.durationMs).toBeLessThan(DELIVERY_TIMEOUT_MS * 1.5);
    // A 2xx that keeps streaming is an answer: its first bytes are kept and the connection dropped.
    expect(dripping).toMatchObject({ responseStatus: 200, error: null });
    expect(dripping.durationMs).toBeLessThan(DELIVERY_TIMEOUT_MS * 1.5);
    expect(big).toMatchObject({ responseStatus: 200, error: null });
    expect(big.responseBody).toBe('y'.repeat(1024));
    expect(redirected).toMatchObject({ responseStatus: 307, error: 'The receiver answered 307 (a redirect, not followed)' });
    // The sockets of the receivers that would have held on are closed by the sender.
    await expect.poll(() => closedSockets).toEqual(expect.arrayContaining(['/hang', '/drip']));
  },
);
