// What is watched, on the local stack: by default the tags scanned within 30 days; an
// organisation's window, pinned tags (watched however old their scan) and muted tags (never)
// change what a run plans, for a published snapshot's run across organisations and for a run
// by hand; the settings are validated (only scanned tags, never both pinned and muted), audited,
// and one organisation's settings leave another's runs alone.
import { SQS } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SqsWatchQueue } from '../../functions/adapters/sqs/sqs-watch-queue.ts';
import type { PlanRequest, RematchBatch } from '../../functions/domain/watch/rematch-run.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let other: SeededOrg;
let admin: Credential;
let queueUrl: string;
const sqs = new SQS({});
const tagIds: Record<string, string> = {};
const DAY = 86_400_000;

async function upload(owner: SeededOrg, repository: string, daysAgo: number): Promise<string> {
  const at = new Date(Date.now() - daysAgo * DAY).toISOString();
  const envelope = sampleEnvelope({
    image: { name: `registry.example.com/${repository}`, tag: '1.0' },
    scan: { id: `scn-w${Math.random().toString(36).slice(2, 12)}`, startedAt: at, finishedAt: at },
  });
  const response = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(owner.sensorKey), envelope);
  expect(response.status).toBe(200);
  const { apiDependencies } = await import('../../functions/composition/api.ts');
  return (await apiDependencies().tagStates.findTagId(owner.orgId, `registry.example.com/${repository}`, '1.0'))!;
}

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('watchsettings');
  other = await seedOrganization('watchsettings-other');
  admin = apiKey(org.apiKeys.admin);
  queueUrl = (await sqs.createQueue({ QueueName: `watch-settings-${Date.now().toString(36)}` })).QueueUrl!;
  tagIds.recent = await upload(org, 'acme/recent', 1);
  tagIds.old = await upload(org, 'acme/old', 45);
  tagIds.ancient = await upload(org, 'acme/ancient', 200);
  tagIds.noisy = await upload(org, 'acme/noisy', 2);
  tagIds.neighbour = await upload(other, 'other/app', 1);
});
afterAll(() => stack?.close());

const snapshot = { builtAt: new Date().toISOString(), contentHash: 'sha256:settings-test' };
let requests = 0;
const request = (orgId?: string): PlanRequest => ({
  kind: 'plan',
  requestId: `settings-${(requests += 1)}`,
  requestedAt: new Date().toISOString(),
  trigger: { kind: 'snapshot' },
  ...(orgId ? { orgId } : {}),
});

async function planned(orgId?: string): Promise<Record<string, string[]>> {
  const [{ planRun }, { apiDependencies }] = await Promise.all([
    import('../../functions/domain/watch/rematch-run.ts'),
    import('../../functions/composition/api.ts'),
  ]);
  const deps = apiDependencies();
  const runs = await planRun(request(orgId), snapshot, { ...deps, runs: deps.watchRuns, watchQueue: new SqsWatchQueue(sqs, queueUrl) });
  const batches: RematchBatch[] = [];
  while (batches.length < runs.reduce((sum, run) => sum + run.batches, 0)) {
    const { Messages = [] } = await sqs.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
    for (const message of Messages) {
      batches.push(JSON.parse(message.Body!) as RematchBatch);
      await sqs.deleteMessage({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! });
    }
  }
  const byOrg: Record<string, string[]> = {};
  for (const batch of batches) (byOrg[batch.orgId] ??= []).push(...batch.tags.map((tag) => tag.tagId));
  for (const tags of Object.values(byOrg)) tags.sort();
  return byOrg;
}
const ids = (...names: string[]) => names.map((name) => tagIds[name]!).sort();

it('watches the tags scanned within 30 days by default, in every organisation', async () => {
  expect((await call(stack.baseUrl, 'GET', '/api/watch/settings', apiKey(org.apiKeys.viewer))).body.data).toEqual({ windowDays: 30, pinned: [], muted: [] });
  const byOrg = await planned();
  expect(byOrg[org.orgId]).toEqual(ids('recent', 'noisy'));
  expect(byOrg[other.orgId]).toEqual(ids('neighbour'));
});

it("follows an organisation's window, pins and mutes, and leaves other organisations on the defaults", async () => {
  const settings = {
    windowDays: 60,
    pinned: [{ image: 'registry.example.com/acme/ancient', tag: '1.0' }],
    muted: [{ image: 'registry.example.com/acme/noisy', tag: '1.0' }],
  };
  const saved = await call(stack.baseUrl, 'PUT', '/api/watch/settings', admin, settings);
  expect(saved.status).toBe(200);
  expect(saved.body.data).toEqual({
    windowDays: 60,
    pinned: [{ ...settings.pinned[0], tagId: tagIds.ancient }],
    muted: [{ ...settings.muted[0], tagId: tagIds.noisy }],
  });
  expect((await call(stack.baseUrl, 'GET', '/api/watch/settings', admin)).body.data).toEqual(saved.body.data);

  const byOrg = await planned();
  expect(byOrg[org.orgId]).toEqual(ids('recent', 'old', 'ancient'));
  expect(byOrg[other.orgId]).toEqual(ids('neighbour'));
  // A run by hand plans the same, for this organisation alone.
  expect(await planned(org.orgId)).toEqual({ [org.orgId]: ids('recent', 'old', 'ancient') });

  const audit = (await call(stack.baseUrl, 'GET', '/api/audit-logs', admin)).body.data;
  expect(audit.find((entry: any) => entry.action === 'watch-settings.update')).toMatchObject({ before: { windowDays: 30 }, after: { windowDays: 60 } });
  // The neighbour's settings are its own.
  expect((await call(stack.baseUrl, 'GET', '/api/watch/settings', apiKey(other.apiKeys.admin))).body.data.windowDays).toBe(30);
});

it('refuses tags never scanned, a tag both pinned and muted, a window out of range, and non-admins', async () => {
  const put = (body: unknown, credential = admin) => call(stack.baseUrl, 'PUT', '/api/watch/settings', credential, body);
  const unknown = await put({ windowDays: 30, pinned: [{ image: 'registry.example.com/acme/never', tag: '1.0' }], muted: [] });
  expect(unknown.status).toBe(400);
  expect(unknown.body.error.issues).toEqual([{ path: 'pinned.0', message: 'registry.example.com/acme/never:1.0 was never scanned' }]);
  // The neighbour's tag is not this organisation's to pin.
  expect((await put({ windowDays: 30, pinned: [{ image: 'registry.example.com/other/app', tag: '1.0' }], muted: [] })).status).toBe(400);
  const both = { image: 'registry.example.com/acme/old', tag: '1.0' };
  expect((await put({ windowDays: 30, pinned: [both], muted: [both] })).status).toBe(400);
  expect((await put({ windowDays: 0, pinned: [], muted: [] })).status).toBe(400);
  expect((await put({ windowDays: 91, pinned: [], muted: [] })).status).toBe(400);
  expect((await put({ windowDays: 30, pinned: [], muted: [], extra: true })).status).toBe(400);
  expect((await put({ windowDays: 30, pinned: [], muted: [] }, apiKey(org.apiKeys.developer))).status).toBe(403);
  // Nothing refused was stored.
  expect((await call(stack.baseUrl, 'GET', '/api/watch/settings', admin)).body.data.windowDays).toBe(60);
});
