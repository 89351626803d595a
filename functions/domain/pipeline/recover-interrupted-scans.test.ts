// recoverInterruptedScans on the real table and queue (DynamoDB Local, fauxqs): after the queue
// lost its messages and the runner its tasks, every active scan has exactly one message again,
// with the reference it was submitted with; running scans are back to QUEUED with a fresh
// deadline and no task; finished scans and sensor uploads are left alone.
import { DeleteMessageCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, afterAll, expect, it } from 'vitest';
import { apiKey, call } from '../../../test/support/http.ts';
import { seedOrganization } from '../../../test/support/seed.ts';
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts';
import { apiDependencies } from '../../composition/api.ts';
import { recoverInterruptedScans, REQUEUED_STAGE } from './recover-interrupted-scans.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const sqs = new SQSClient({});

/** Takes every message off the queue (as a restart of the in-memory queue does). */
async function drainQueue(): Promise<Array<Record<string, unknown>>> {
  const bodies: Array<Record<string, unknown>> = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: stack.resources.SCAN_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    for (const message of Messages) {
      bodies.push(JSON.parse(message.Body!));
      await sqs.send(new DeleteMessageCommand({ QueueUrl: stack.resources.SCAN_QUEUE_URL, ReceiptHandle: message.ReceiptHandle! }));
    }
  }
}

it('queues every interrupted scan once more, as it was submitted, and leaves finished scans and sensor uploads alone', async () => {
  const org = await seedOrganization('recovery');
  const dev = apiKey(org.apiKeys.developer);
  const digest = `sha256:${'ab'.repeat(32)}`;
  const images = ['ghcr.io/acme/api:1.4.7', `registry.example.com:5000/team/app@${digest}`, 'nginx', 'ghcr.io/acme/done:1'];
  const submitted = await call(stack.baseUrl, 'POST', '/api/scans', dev, { scans: images.map((image) => ({ image, scanners: ['harborguard'] })) });
  expect(submitted.status).toBe(202);
  const [queued, running, startedNoTask, cancelled] = (submitted.body.scans as Array<{ scanId: string }>).map((s) => s.scanId);
  const { scans } = apiDependencies();
  const caps = { perOrganization: 10, perDeployment: 50 };
  const started = { startedAt: new Date().toISOString(), updatedAt: new Date().toISOString(), deadline: new Date(Date.now() + 60_000).toISOString() };
  expect(await scans.startScan(org.orgId, running!, started, caps)).toBe('started');
  await scans.transitionScan(org.orgId, running!, ['IN_PROGRESS'], { taskArn: 'arn:aws:ecs:us-east-1:000000000000:task/harborguard-local/gone' });
  // Killed between the dispatcher's start and its RunTask: IN_PROGRESS with no task yet.
  expect(await scans.startScan(org.orgId, startedNoTask!, started, caps)).toBe('started');
  await scans.transitionScan(org.orgId, cancelled!, ['QUEUED'], { status: 'CANCELLED' });
  // A sensor's upload being ingested is IN_PROGRESS too, but was never the pipeline's to run.
  const sensorScan = {
    ...(await scans.getScan(org.orgId, queued!))!,
    id: 'scn-sensor-upload',
    status: 'IN_PROGRESS' as const,
    source: 'sensor' as const,
    progress: { stage: 'ingesting', percent: 100 },
  };
  await scans.createScans([sensorScan]);
  await drainQueue();

  const before = Date.now();
  expect(await recoverInterruptedScans(apiDependencies())).toEqual({ queued: 1, running: 2 });

  const messages = await drainQueue();
  expect(messages.map((m) => [m.scanId, m.image]).sort()).toEqual(
    [
      [queued, 'ghcr.io/acme/api:1.4.7'],
      [running, `registry.example.com:5000/team/app@${digest}`],
      [startedNoTask, 'docker.io/library/nginx:latest'],
    ].sort(),
  );
  for (const message of messages) expect(message).toMatchObject({ orgId: org.orgId, scanners: ['harborguard'], requestedAt: expect.any(String) });
  const requeued = await scans.getScan(org.orgId, running!);
  expect(requeued).toMatchObject({ status: 'QUEUED', progress: { stage: REQUEUED_STAGE, percent: 0 } });
  expect(requeued!.taskArn).toBeUndefined();
  expect(requeued!.startedAt).toBeUndefined();
  expect(Date.parse(requeued!.deadline!)).toBeGreaterThanOrEqual(before + apiDependencies().settings.maxQueuedMs);
  expect((await scans.getScan(org.orgId, cancelled!))!.status).toBe('CANCELLED');
  expect(await scans.getScan(org.orgId, sensorScan.id)).toMatchObject({ status: 'IN_PROGRESS', progress: { stage: 'ingesting', percent: 100 } });
  // The running count went back with them (the sensor's scan is the one left).
  expect((await call(stack.baseUrl, 'GET', '/api/scans?status=IN_PROGRESS', dev)).body.meta.total).toBe(1);
  expect((await call(stack.baseUrl, 'GET', '/api/scans?status=QUEUED', dev)).body.meta.total).toBe(3);
});
