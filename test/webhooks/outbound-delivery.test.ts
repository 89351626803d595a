// Outbound webhooks end to end on the local stack: a receiver on 127.0.0.1 verifies every
// delivery with the receivers' own `standardwebhooks` library and the reference product's HMAC
// header; scan.completed carries the findings diff; failures are retried with the same
// webhook-id; receiver URLs the egress policy refuses are refused before any connection.
// (The HTTP routes for subscriptions come next; this drives the same domain functions.)
import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { egressPolicy } from '../../shared/egress/egress-policy.ts';
import type { ScanEnvelope } from '../../shared/envelope/envelope-schema.ts';
import { apiKey, call } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let receiver: Server;
let receiverUrl: string;
/** What the receiver answers, one status per request in order; 200 once they run out. */
let answers: number[] = [];
const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
const waiters: Array<() => void> = [];

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('webhooks');
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

async function domain() {
  const [{ apiDependencies }, manage] = await Promise.all([
    import('../../functions/composition/api.ts'),
    import('../../functions/domain/webhooks/manage-webhooks.ts'),
  ]);
  const admin = { orgId: org.orgId, role: 'admin' as const, kind: 'api_key' as const, credentialId: 'test-admin', sensor: false };
  return { deps: apiDependencies(), manage, admin };
}

function verify(delivery: { headers: IncomingMessage['headers']; body: string }, secret: string) {
  const headers = Object.fromEntries(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
  // Throws unless signed with this secret within the library's 5-minute tolerance.
  const payload = new StandardWebhook(secret).verify(delivery.body, headers) as { type: string; data: any };
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  expect(headers['x-harborguard-signature']).toBe(`sha256=${createHmac('sha256', key).update(delivery.body).digest('hex')}`);
  return payload;
}

it('delivers scan.completed once, signed, with the findings new and resolved against the previous scan of the tag; records a failed attempt, schedules its retry and redelivers with the same webhook-id', async () => {
  const { deps, manage, admin } = await domain();
  const created = await manage.createWebhook(admin, { url: receiverUrl, events: ['scan.completed', 'finding.new'] }, deps);
  expect(created.secret).toMatch(/^whsec_/);
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

  // The receiver fails: the attempt is recorded and the next one scheduled about 30 s later.
  answers = [500];
  received.length = 0;
  await upload('scn-hook00000002', [
    { id: 'CVE-2024-0002', severity: 'LOW', package: 'zlib', version: '1.2.11' },
    { id: 'CVE-2024-0003', severity: 'MEDIUM', package: 'curl', version: '8.0.0' },
  ]);
  await receivedCount(1);
  const ids = new Set(received.map((d) => d.headers['webhook-id']));
  const second = verify(received[0]!, created.secret);
  expect(second.type).toBe('scan.completed');
  expect(second.data.previousScanId).toBe('scn-hook00000001');
  expect(second.data.newFindings.items.map((f: any) => f.cveId)).toEqual(['CVE-2024-0003']);
  expect(second.data.resolvedFindings.items.map((f: any) => f.cveId)).toEqual(['CVE-2024-0001']);
  expect(ids.size).toBe(1);
  // The receiver answered before the job recorded the attempt: wait for the record.
  let failing;
  do {
    const deliveries = await manage.listDeliveries(admin, created.id, { limit: 10 }, deps);
    failing = deliveries.items.find((d) => d.eventType === 'scan.completed' && d.eventId.includes('scn-hook00000002'));
  } while (!failing || failing.attempts === 0);
  expect(failing).toMatchObject({ status: 'pending', attempts: 1, responseStatus: 500, responseBody: 'ok' });
  expect(Date.parse(failing.nextAttemptAt!) - Date.parse(failing.updatedAt)).toBeGreaterThan(20_000);

  // Redelivery by hand: the same webhook-id again, and the delivery succeeds.
  await manage.redeliverDelivery(admin, created.id, failing.id, deps);
  await receivedCount(2);
  expect(received[1]!.headers['webhook-id']).toBe(received[0]!.headers['webhook-id']);
  verify(received[1]!, created.secret);
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
