// Outbound webhooks end to end on the local stack, through the API: a receiver on 127.0.0.1
// verifies every delivery with the receivers' own `standardwebhooks` library and the reference
// product's HMAC header, and every payload against the OpenAPI document's `webhooks` section;
// scan.completed carries the findings diff; failures are logged and retried with the same
// webhook-id; rotated secrets overlap; receiver URLs the egress policy refuses are refused.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { egressPolicy } from '../../shared/egress/egress-policy.ts';
import type { ScanEnvelope } from '../../shared/envelope/envelope-schema.ts';
import { checkDocumentedEvent } from '../support/documented-responses.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let receiver: Server;
let receiverUrl: string;
/** What the receiver answers, one status per request in order; 200 once they run out. */
let answers: number[] = [];
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
const waiters: Array<() => void> = [];

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('webhooks');
  admin = apiKey(org.apiKeys.admin);
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answers.shift() ?? 200).end('ok');
      for (const wake of waiters.splice(0)) wake();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
});
afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function receivedCount(count: number): Promise<void> {
  while (received.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
}

const api = (method: string, path: string, body?: unknown) => call(stack.baseUrl, method, path, admin, body);

async function subscribe(events: string[]): Promise<{ id: string; secret: string }> {
  const created = await api('POST', '/api/webhooks', { url: receiverUrl, events, description: 'test receiver' });
  expect(created.status).toBe(201);
  return created.body.data;
}

function verify(delivery: { headers: IncomingMessage['headers']; body: string }, secret: string) {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
  // Throws unless signed with this secret within the library's 5-minute tolerance.
  const payload = new StandardWebhook(secret).verify(delivery.body, headers) as { type: string; data: any };
  checkDocumentedEvent(payload);
  return payload;
}

const hmacOf = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', Buffer.from(secret.slice('whsec_'.length), 'base64'))
    .update(body)
    .digest('hex')}`;

/** The delivery log, polled until `found` picks an entry: the receiver answers before the job records the attempt. */
async function deliveryWhere(webhookId: string, found: (delivery: any) => boolean): Promise<any> {
  for (;;) {
    const log = await api('GET', `/api/webhooks/${webhookId}/deliveries?limit=10`);
    expect(log.status).toBe(200);
    const delivery = log.body.data.find(found);
    if (delivery) return delivery;
  }
}

it('manages subscriptions through the API: the secret once, never listed, changes audited; bad URLs and unknown events refused with their reasons', async () => {
  const created = await subscribe(['scan.failed']);
  expect(created.secret).toMatch(/^whsec_/);
  const listed = await api('GET', '/api/webhooks');
  expect(listed.body.data.find((w: any) => w.id === created.id)).toMatchObject({ url: receiverUrl, events: ['scan.failed'], active: true });
  expect(JSON.stringify(listed.body)).not.toContain(created.secret);

  const patched = await api('PATCH', `/api/webhooks/${created.id}`, { events: ['scan.failed', 'scan.cancelled'], active: false });
  expect(patched.body.data).toMatchObject({ events: ['scan.failed', 'scan.cancelled'], active: false });
  expect((await api('GET', `/api/webhooks/${created.id}`)).body.data.active).toBe(false);

  const refused = await api('POST', '/api/webhooks', { url: 'https://169.254.169.254/latest', events: ['scan.failed'] });
  expect(refused.status).toBe(400);
  expect(refused.body.error.message).toMatch(/refused/);
  const unknownEvent = await api('POST', '/api/webhooks', { url: receiverUrl, events: ['scan.exploded'] });
  expect(unknownEvent.status).toBe(400);
  expect(unknownEvent.body.error.issues[0].path).toMatch(/^events/);
  expect((await call(stack.baseUrl, 'GET', '/api/webhooks', apiKey(org.apiKeys.developer))).status).toBe(403);

  expect((await api('DELETE', `/api/webhooks/${created.id}`)).body.data).toEqual({ id: created.id, deleted: true });
  expect((await api('GET', `/api/webhooks/${created.id}`)).status).toBe(404);
  const audit = await api('GET', '/api/audit-logs?limit=20');
  const actions = audit.body.data.filter((entry: any) => entry.target === created.id).map((entry: any) => entry.action);
  expect(actions.sort()).toEqual(['webhook.create', 'webhook.delete', 'webhook.update']);
  expect(JSON.stringify(audit.body)).not.toContain(created.secret);
});

it('sends webhook.test on request; after a rotation both secrets sign for the overlap, and the HMAC header uses the new one', async () => {
  const created = await subscribe(['scan.completed']);
  received.length = 0;
  expect((await api('POST', `/api/webhooks/${created.id}/test`)).status).toBe(202);
  await receivedCount(1);
  expect(verify(received[0]!, created.secret)).toMatchObject({ type: 'webhook.test', data: { webhookId: created.id } });
  expect(received[0]!.headers['x-harborguard-signature']).toBe(hmacOf(received[0]!.body, created.secret));

  const rotated = await api('POST', `/api/webhooks/${created.id}/rotate-secret`);
  expect(rotated.status).toBe(200);
  const { secret: newSecret, previousSecretExpiresAt } = rotated.body.data;
  expect(newSecret).not.toBe(created.secret);
  expect(Date.parse(previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3_600_000);
  expect((await api('POST', `/api/webhooks/${created.id}/test`)).status).toBe(202);
  await receivedCount(2);
  verify(received[1]!, created.secret);
  verify(received[1]!, newSecret);
  expect(received[1]!.headers['x-harborguard-signature']).toBe(hmacOf(received[1]!.body, newSecret));
  expect(() => verify(received[1]!, `whsec_${Buffer.alloc(32, 7).toString('base64')}`)).toThrow();
  await api('DELETE', `/api/webhooks/${created.id}`);
});

it('delivers scan.completed once, signed, with the findings new and resolved against the previous scan of the tag; logs a failed attempt, schedules its retry and redelivers with the same webhook-id', async () => {
  const created = await subscribe(['scan.completed', 'finding.new']);
  received.length = 0;
  const sensor = apiKey(org.sensorKey);
  const upload = async (id: string, vulnerabilities: ScanEnvelope['vulnerabilities']) => {
    const envelope = sampleEnvelope({
      scan: { id, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() },
      image: { name: 'ghcr.io/acme/hooked', tag: '1.0' },
      vulnerabilities,
    });
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope)).status).toBe(200);
  };

  await upload('scn-hook00000001', [
    { id: 'CVE-2024-0001', severity: 'CRITICAL', package: 'openssl', version: '3.0.1' },
    { id: 'CVE-2024-0002', severity: 'LOW', package: 'zlib', version: '1.2.11' },
  ]);
  await receivedCount(2);
  const first = received.map((d) => verify(d, created.secret));
  const completed = first.find((p) => p.type === 'scan.completed')!;
  expect(completed.data.scan.id).toBe('scn-hook00000001');
  expect(completed.data.previousScanId).toBeNull();
  expect(completed.data.newFindings.items.map((f: any) => f.cveId).sort()).toEqual(['CVE-2024-0001', 'CVE-2024-0002']);
  const alarming = first.find((p) => p.type === 'finding.new')!;
  expect(alarming.data.findings.items.map((f: any) => f.cveId)).toEqual(['CVE-2024-0001']);

  // The receiver fails: the attempt is logged and the next one scheduled about 30 s later.
  answers = [500];
  received.length = 0;
  await upload('scn-hook00000002', [
    { id: 'CVE-2024-0002', severity: 'LOW', package: 'zlib', version: '1.2.11' },
    { id: 'CVE-2024-0003', severity: 'MEDIUM', package: 'curl', version: '8.0.0' },
  ]);
  await receivedCount(1);
  const second = verify(received[0]!, created.secret);
  expect(second.type).toBe('scan.completed');
  expect(second.data.previousScanId).toBe('scn-hook00000001');
  expect(second.data.newFindings.items.map((f: any) => f.cveId)).toEqual(['CVE-2024-0003']);
  expect(second.data.resolvedFindings.items.map((f: any) => f.cveId)).toEqual(['CVE-2024-0001']);
  const failing = await deliveryWhere(created.id, (d) => d.eventId.includes('scn-hook00000002') && d.attempts > 0);
  expect(failing).toMatchObject({ eventType: 'scan.completed', status: 'pending', attempts: 1, responseStatus: 500, responseBody: 'ok' });
  expect(failing.error).toMatch(/500/);
  expect(Date.parse(failing.nextAttemptAt) - Date.parse(failing.updatedAt)).toBeGreaterThan(20_000);

  // Redelivery by hand: the same webhook-id again, and the delivery succeeds.
  expect((await api('POST', `/api/webhooks/${created.id}/deliveries/${failing.id}/redeliver`)).status).toBe(202);
  await receivedCount(2);
  expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
  expect(received[1]!.headers['webhook-id']).toBe(failing.id);
  verify(received[1]!, created.secret);
  await deliveryWhere(created.id, (d) => d.id === failing.id && d.status === 'succeeded');

  // The log pages newest first.
  const page1 = await api('GET', `/api/webhooks/${created.id}/deliveries?limit=1`);
  expect(page1.body.data).toHaveLength(1);
  const page2 = await api('GET', page1.body.links.next);
  expect(page2.body.data).toHaveLength(1);
  expect(page2.body.data[0].createdAt <= page1.body.data[0].createdAt).toBe(true);
  expect(page2.body.data[0].id).not.toBe(page1.body.data[0].id);
  expect((await api('GET', `/api/webhooks/${created.id}/deliveries?after=nope`)).status).toBe(400);
}, 60_000);

it('refuses receiver URLs on private, link-local and loopback addresses before any connection, and plain http outside loopback', async () => {
  const { checkReceiverUrl } = await import('../../functions/domain/webhooks/webhook-url.ts');
  const deployed = egressPolicy('');
  for (const url of [
    'https://10.0.0.1/hook',
    'https://169.254.169.254/latest/meta-data',
    'https://[fd00::1]/h',
    'https://[::1]/h',
    'https://0.0.0.0/h',
    'https://224.0.0.1/h',
    'https://2852039166/h',
  ]) {
    expect(() => checkReceiverUrl(url, deployed), url).toThrow(/refused/);
  }
  expect(() => checkReceiverUrl('http://hooks.example.com/h', deployed)).toThrow(/use https/);
  expect(() => checkReceiverUrl('http://127.0.0.1:9/h', deployed)).toThrow(/refused/);
  expect(() => checkReceiverUrl('https://user:pw@hooks.example.com/h', deployed)).toThrow(/credentials/);
  expect(checkReceiverUrl('https://hooks.example.com/h', deployed)).toBe('https://hooks.example.com/h');
});

it('fails a delivery to a name that resolves to loopback in a deployment setting, with the reason, without connecting', async () => {
  const { EgressWebhookSender } = await import('../../functions/adapters/http/webhook-sender.ts');
  const before = received.length;
  const port = (receiver.address() as AddressInfo).port;
  const result = await new EgressWebhookSender(egressPolicy('')).post({ url: `http://localhost:${port}/hooks`, headers: {}, body: '{}' });
  expect(result.responseStatus).toBeNull();
  expect(result.error).toMatch(/egress policy.*localhost resolves to/);
  expect(received.length).toBe(before);
});
