// A re-match run on the local stack, with the real table and an SQS queue of the emulator: the
// watched tags not yet matched against the new snapshot are queued in batches, a batch's tags are
// re-matched and counted, a redelivered batch is counted once and re-matches nothing twice, and a
// second run of the same snapshot writes nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQS } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DynamoDbWatchRunRepository } from '../../functions/adapters/dynamodb/watch-run-repository.ts';
import { SqsWatchQueue } from '../../functions/adapters/sqs/sqs-watch-queue.ts';
import type { RematchBatch } from '../../functions/domain/watch/rematch-run.ts';
import { loadSnapshot, type AdvisorySnapshot } from '../../shared/matching/snapshot-reader.ts';
import { writeAdvisorySnapshots } from '../../scanner-task/testing/advisory-snapshots.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { apiKey, call } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let queueUrl: string;
const sqs = new SQS({});
const snapshots: Record<string, AdvisorySnapshot> = {};

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('watchrun');
  queueUrl = (await sqs.createQueue({ QueueName: `watch-run-${Date.now().toString(36)}` })).QueueUrl!;
  const paths = await writeAdvisorySnapshots(mkdtempSync(join(tmpdir(), 'hg-watch-run-')));
  for (const [version, path] of Object.entries(paths)) snapshots[version] = await loadSnapshot(path);
});
afterAll(async () => {
  for (const snapshot of Object.values(snapshots)) snapshot.close();
  await stack?.close();
});

const planRequest = (requestId: string) => ({
  kind: 'plan' as const,
  requestId,
  requestedAt: new Date().toISOString(),
  trigger: { kind: 'snapshot' as const },
});

const identity = (version: string) => {
  const { builtAt, contentHash, advisories } = snapshots[version]!.header;
  return { builtAt, contentHash, advisories };
};

async function upload(repository: string, pkg: { name: string; version: string }, matchedWith: string) {
  const envelope = sampleEnvelope({
    image: { name: `registry.example.com/${repository}`, tag: '1.0' },
    scan: { id: `scn-r${Math.random().toString(36).slice(2, 12)}`, startedAt: new Date().toISOString(), finishedAt: new Date().toISOString() },
    vulnerabilities: [],
    packages: [{ ...pkg, type: 'npm', purl: `pkg:npm/${pkg.name}@${pkg.version}` }],
    matching: { status: 'MATCHED', snapshot: identity(matchedWith) },
  });
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), envelope)).status).toBe(200);
}

async function deps() {
  const { apiDependencies } = await import('../../functions/composition/api.ts');
  const { documentClient } = await import('../../functions/adapters/dynamodb/document-client.ts');
  const api = apiDependencies();
  return { ...api, runs: new DynamoDbWatchRunRepository(documentClient(), process.env.TABLE_NAME!), watchQueue: new SqsWatchQueue(sqs, queueUrl) };
}

async function received(count: number): Promise<RematchBatch[]> {
  const batches: RematchBatch[] = [];
  while (batches.length < count) {
    const { Messages = [] } = await sqs.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
    for (const message of Messages) {
      batches.push(JSON.parse(message.Body!) as RematchBatch);
      await sqs.deleteMessage({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! });
    }
  }
  return batches;
}

const scanCount = async () => (await call(stack.baseUrl, 'GET', '/api/scans', apiKey(org.apiKeys.admin))).body.meta.total;

it('re-matches the watched tags a new snapshot concerns, counts each batch once, and writes nothing on a second run', async () => {
  await upload('acme/one', { name: 'lodash', version: '4.17.15' }, 'v1');
  await upload('acme/two', { name: 'lodash', version: '4.17.15' }, 'v1');
  await upload('acme/clean', { name: 'express', version: '4.18.2' }, 'v1');
  await upload('acme/current', { name: 'lodash', version: '4.17.15' }, 'v2');
  const { planRun, workBatch } = await import('../../functions/domain/watch/rematch-run.ts');
  const d = await deps();

  const first = planRequest('first');
  const [run, ...others] = await planRun(first, identity('v2'), d);
  expect(others).toEqual([]);
  expect(run).toMatchObject({ orgId: org.orgId, watched: 4, upToDate: 1, batches: 1, batchesDone: 0, finishedAt: null });
  // The same request delivered again plans nothing more.
  expect(await planRun({ ...first }, identity('v2'), d)).toEqual([]);
  const [batch] = await received(1);
  expect(batch!.tags).toHaveLength(3);
  expect(await workBatch(batch!, snapshots.v2!, d)).toEqual({ rematched: 2, unchanged: 1, skipped: 0, failed: 0 });
  const scans = await scanCount();
  expect(scans).toBe(6);

  // Delivered again: nothing re-matched twice, nothing counted twice.
  expect(await workBatch(batch!, snapshots.v2!, d)).toEqual({ rematched: 2, unchanged: 1, skipped: 0, failed: 0 });
  expect(await d.runs.getRun(org.orgId, run!.id)).toMatchObject({
    batchesDone: 1,
    counts: { rematched: 2, unchanged: 1, skipped: 0, failed: 0 },
    finishedAt: expect.any(String),
  });
  expect(await scanCount()).toBe(scans);

  // The same snapshot again: the re-matched tags are up to date, the clean one is read and left as it is.
  const [again] = await planRun(planRequest('second'), identity('v2'), d);
  expect(again).toMatchObject({ watched: 4, upToDate: 3, batches: 1 });
  const [second] = await received(1);
  expect(await workBatch(second!, snapshots.v2!, d)).toEqual({ rematched: 0, unchanged: 1, skipped: 0, failed: 0 });
  expect(await scanCount()).toBe(scans);
});

it('loses and duplicates nothing when a worker dies mid-batch, or when two runs of one snapshot start at once', async () => {
  const { planRun, workBatch } = await import('../../functions/domain/watch/rematch-run.ts');
  const { rematchScan } = await import('../../functions/domain/watch/rematch-scan.ts');
  const d = await deps();
  const repositories = ['acme/race-a', 'acme/race-b', 'acme/race-c'];
  for (const repository of repositories) await upload(repository, { name: 'lodash', version: '4.17.15' }, 'v1');
  const before = await scanCount();

  // Two runs at once: each plans every tag not yet matched against v5.
  const [first, second] = await Promise.all([planRun(planRequest('race-1'), identity('v5'), d), planRun(planRequest('race-2'), identity('v5'), d)]);
  const batches = await received(first[0]!.batches + second[0]!.batches);
  const raced = batches.map((batch) => batch.tags.length);

  // A worker of the first run died after re-matching one tag, before its batch was counted.
  const firstBatch = batches.find((batch) => batch.runId === first[0]!.id)!;
  // (The first tag in the batch with lodash: tag order follows random tag ids, and the express one is unchanged.)
  let rematchedOne = false;
  for (const tag of firstBatch.tags) {
    if ((await rematchScan(firstBatch.orgId, tag.scanId, snapshots.v5!, identity('v5'), d)).outcome === 'rematched') {
      rematchedOne = true;
      break;
    }
  }
  expect(rematchedOne).toBe(true);

  // Its batch comes back while the second run's batch is worked at the same time.
  const counted = await Promise.all(batches.map((batch) => workBatch(batch, snapshots.v5!, d)));
  // Seven tags planned (the first test's four and three new): every one with lodash got exactly
  // one re-match scan (v5 puts its CVE in KEV), the one with express none.
  expect(raced).toEqual([7, 7]);
  expect(await scanCount()).toBe(before + 6);
  for (const counts of counted) expect(counts).toEqual({ rematched: 6, unchanged: 1, skipped: 0, failed: 0 });
  for (const run of [first[0]!, second[0]!]) {
    expect(await d.runs.getRun(org.orgId, run.id)).toMatchObject({ batchesDone: run.batches, finishedAt: expect.any(String) });
  }
});
