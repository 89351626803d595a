// npm run bench:webhooks — outbound webhooks on the local stack, through the same queue, job
// and handlers as a deployment.
// Part 1: 50 scans uploaded one after another; for each, the time from the upload's answer
// (the scan is COMPLETE and scan.completed published) to the receiver's 2xx for it, and from
// the upload's start (so ingest included: an upper bound on COMPLETE → 2xx).
// Part 2: 1,000 events published at once to one subscription whose receiver fails 1 % of
// requests (500): time until each has had its first attempt, and the DynamoDB write units the
// deliveries cost (as DynamoDB reports them), per delivery.
// Baseline, in the same run: the same signed POST made directly by the sender, without queue,
// job or store, one after another.
import './quiet-logs.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { recordSection } from './doc-section.ts';
import { startLocalAws } from '../local/local-aws.ts';
import { startTestStack } from '../test/support/test-stack.ts';
import { seedOrganization } from '../test/support/seed.ts';
import { sampleEnvelope } from '../test/support/envelopes.ts';

const SCANS = Number(process.env.BENCH_SCANS ?? 50);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 1000);
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))]!;

const aws = await startLocalAws();
const stack = await startTestStack();
const org = await seedOrganization('benchhooks');

// The receiver: records when each delivery arrived, by event type and id; fails every 100th request.
const arrivals = new Map<string, number>();
let requests = 0;
let failAnswers = false;
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    requests += 1;
    const payload = JSON.parse(Buffer.concat(chunks).toString()) as { type: string; data: { scan?: { id: string }; message?: string } };
    const key = payload.data.scan?.id ?? payload.data.message ?? '';
    if (!arrivals.has(`${payload.type}:${key}`)) arrivals.set(`${payload.type}:${key}`, performance.now());
    response.writeHead(failAnswers && requests % 100 === 0 ? 500 : 200).end('ok');
  });
});
await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
const admin = { 'X-API-Key': org.apiKeys.admin, 'Content-Type': 'application/json' };
const created = (await (
  await fetch(`${stack.baseUrl}/api/webhooks`, { method: 'POST', headers: admin, body: JSON.stringify({ url, events: ['scan.completed'] }) })
).json()) as {
  data: { id: string; secret: string };
};
const webhookId = created.data.id;

const waitFor = async (done: () => boolean) => {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 2));
};

// Baseline: the sender alone, signing and posting the same payload shape.
const { EgressWebhookSender } = await import('../functions/adapters/http/webhook-sender.ts');
const { egressPolicy } = await import('../shared/egress/egress-policy.ts');
const { signatureHeaders } = await import('../functions/domain/webhooks/signing.ts');
const sender = new EgressWebhookSender(egressPolicy('127.0.0.0/8'));
const direct: number[] = [];
for (let i = 0; i < SCANS; i++) {
  const body = JSON.stringify({ type: 'baseline', timestamp: new Date().toISOString(), data: { message: `direct-${i}` } });
  const started = performance.now();
  await sender.post({
    url,
    headers: { 'content-type': 'application/json', ...signatureHeaders({ id: `b${i}`, timestamp: new Date(), body }, [created.data.secret]) },
    body,
  });
  direct.push(performance.now() - started);
}

// Part 1: COMPLETE → receiver 2xx.
const sensor = { 'X-API-Key': org.sensorKey, 'Content-Type': 'application/json' };
const latencies: number[] = [];
const fromUpload: number[] = [];
for (let i = 0; i < SCANS; i++) {
  const id = `scn-benchhook${String(i).padStart(4, '0')}`;
  const envelope = sampleEnvelope({
    scan: { id, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() },
    image: { name: 'ghcr.io/acme/bench', tag: `v${i}` },
    vulnerabilities: [{ id: `CVE-2025-${1000 + i}`, severity: 'HIGH', package: 'openssl', version: '3.0.1' }],
  });
  const sent = performance.now();
  const answer = await fetch(`${stack.baseUrl}/api/scans/upload`, { method: 'POST', headers: sensor, body: JSON.stringify(envelope) });
  if (answer.status !== 200) throw new Error(`upload answered ${answer.status}: ${await answer.text()}`);
  const complete = performance.now();
  await waitFor(() => arrivals.has(`scan.completed:${id}`));
  latencies.push(arrivals.get(`scan.completed:${id}`)! - complete);
  fromUpload.push(arrivals.get(`scan.completed:${id}`)! - sent);
}

// Part 2: 1,000 events at once, 1 % of answers 500; write units of the deliveries.
const { apiDependencies } = await import('../functions/composition/api.ts');
const { documentClient } = await import('../functions/adapters/dynamodb/document-client.ts');
let writeUnits = 0;
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);
documentClient().middlewareStack.add(
  (next, context) => async (args) => {
    if (!WRITES.has(context.commandName ?? '')) return next(args);
    (args.input as { ReturnConsumedCapacity?: string }).ReturnConsumedCapacity = 'TOTAL';
    const result = await next(args);
    // DynamoDB Local reports a write's units as CapacityUnits.
    const consumed = (result.output as { ConsumedCapacity?: { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> }).ConsumedCapacity;
    for (const entry of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) writeUnits += entry.CapacityUnits ?? 0;
    return result;
  },
  { step: 'initialize', name: 'benchWriteUnits' },
);
const { events } = apiDependencies();
failAnswers = true;
requests = 0;
const at = new Date().toISOString();
const burst = Array.from({ length: EVENTS }, (_, i) => ({
  id: `evt_bench_${i}`,
  orgId: org.orgId,
  type: 'webhook.test' as const,
  createdAt: at,
  data: { webhookId, message: `burst-${i}` },
}));
writeUnits = 0;
const burstStarted = performance.now();
for (let i = 0; i < burst.length; i += 25) await events.publish(burst.slice(i, i + 25));
const publishMs = performance.now() - burstStarted;
await waitFor(() => burst.every((event) => arrivals.has(`webhook.test:${event.data.message}`)));
const burstMs = performance.now() - burstStarted;
// Let the last attempts' records land before reading the units.
await new Promise((resolve) => setTimeout(resolve, 1000));
const unitsPerDelivery = writeUnits / EVENTS;

const directMedian = percentile(direct, 50);
const lines = [
  '## Webhooks (`npm run bench:webhooks`)',
  '',
  `Local stack, ${new Date().toISOString().slice(0, 10)}: DynamoDB Local, the SQS emulator and its event source, the delivery job in-process, a receiver on 127.0.0.1.`,
  '',
  `| measure | value | ÷ baseline |`,
  '|---|---:|---:|',
  `| baseline: the sender alone, signed POST to the receiver (median of ${SCANS}) | ${directMedian.toFixed(1)} ms | 1.00 |`,
  `| COMPLETE → receiver 2xx, median of ${SCANS} scans | ${percentile(latencies, 50).toFixed(0)} ms | ${(percentile(latencies, 50) / directMedian).toFixed(1)} |`,
  `| COMPLETE → receiver 2xx, p95 | ${percentile(latencies, 95).toFixed(0)} ms | ${(percentile(latencies, 95) / directMedian).toFixed(1)} |`,
  `| upload sent (ingest included) → receiver 2xx, median / p95 | ${percentile(fromUpload, 50).toFixed(0)} / ${percentile(fromUpload, 95).toFixed(0)} ms | |`,
  `| ${EVENTS.toLocaleString('en')} events published (event stored, fan-out message sent), 25 at a time | ${(publishMs / 1000).toFixed(1)} s | |`,
  `| ${EVENTS.toLocaleString('en')} deliveries, 1 % answered 500: all first attempts made | ${(burstMs / 1000).toFixed(1)} s (${((EVENTS / burstMs) * 1000).toFixed(0)} /s) | ${(burstMs / (directMedian * EVENTS)).toFixed(2)} × ${EVENTS} direct POSTs |`,
  `| DynamoDB write units per delivery (event, delivery record, attempt, failures' retry state) | ${unitsPerDelivery.toFixed(2)} | |`,
];
const median = percentile(latencies, 50);
lines.push(
  '',
  `Target (issue #13): median COMPLETE → receiver 2xx ≤ 1 s locally: ${median <= 1000 ? 'met' : 'missed'}. The upload answers once the scan is COMPLETE and its event published, so the first rows are what the queue, the job and the store add to one POST. Throughput here is one local event source feeding one in-process job against DynamoDB Local on 2 cores; a deployment runs up to 10 batches of 10 at once (infra/job-settings.ts).`,
);
const section = lines.join('\n') + '\n';
process.stdout.write(section);
recordSection(section);
await stack.close();
receiver.close();
await aws.stop();
process.exit(0);
