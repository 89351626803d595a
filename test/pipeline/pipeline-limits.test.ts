// Running caps, deadlines and crashed tasks, with short limits: excess scans wait in the queue,
// the reaper fails overdue scans, and a task that dies fails its scan with the stop reason.
import { ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { startBlackhole, taskArnOf, waitForStatus } from './pipeline-support.ts';

let stack: TestStack;
let dev: Credential;
let orgId: string;
let blackhole: Awaited<ReturnType<typeof startBlackhole>>;

beforeAll(async () => {
  stack = await startTestStack({ pipeline: true, env: { HG_SCAN_TIMEOUT_SECONDS: '6', HG_MAX_RUNNING_SCANS_PER_ORG: '1' } });
  const org = await seedOrganization('limits');
  orgId = org.orgId;
  dev = apiKey(org.apiKeys.developer);
  blackhole = await startBlackhole();
});
afterAll(async () => {
  await stack?.close();
  await blackhole?.close();
});

const submit = async (tag: string) =>
  (await call(stack.baseUrl, 'POST', '/api/scans', dev, { image: `${blackhole.host}/example/hangs:${tag}` })).body.scanId as string;

it('keeps excess scans queued, then fails overdue scans as TIMED_OUT and starts the next', { timeout: 120_000 }, async () => {
  const first = await submit('a');
  await waitForStatus(stack.baseUrl, dev, first, (status) => status === 'IN_PROGRESS');
  const second = await submit('b');
  // If the dispatcher saw it before this listens, a deferred message comes back after the visibility timeout (1 s).
  const deferral = stack.pipeline!.nextDispatch(second);
  // The per-organisation cap is 1: the dispatcher leaves the second scan in the queue, not failed.
  expect(await deferral).toBe('retried');
  expect((await call(stack.baseUrl, 'GET', `/api/scans/${second}/status`, dev)).body.data.status).toBe('QUEUED');

  const timedOut = await waitForStatus(stack.baseUrl, dev, first, (status) => status === 'FAILED', 30_000);
  expect(timedOut.failure.code).toBe('TIMED_OUT');
  await waitForStatus(stack.baseUrl, dev, second, (status) => status === 'IN_PROGRESS', 30_000);
  await call(stack.baseUrl, 'POST', `/api/scans/${second}/cancel`, dev);
});

it('fails a scan whose task stops with an error, with the stop reason', { timeout: 120_000 }, async () => {
  const scanId = await submit('c');
  await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'IN_PROGRESS', 30_000);
  const taskArn = await taskArnOf(orgId, scanId);
  // As when ECS itself stops a task (out of memory, capacity reclaimed): not through the API.
  await new ECSClient({}).send(new StopTaskCommand({ cluster: 'harborguard-local', task: taskArn, reason: 'OutOfMemoryError: container killed' }));
  const failed = await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'FAILED', 30_000);
  expect(failed.failure).toEqual({ code: 'SCANNER_CRASHED', reason: expect.stringContaining('OutOfMemoryError: container killed') });
});
