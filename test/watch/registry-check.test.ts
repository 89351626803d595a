// Scheduled registry checks on the local stack, against a real registry that requires the
// organisation's stored credentials: a watched tag whose manifest is unchanged needs nothing; a
// tag pushed anew (another digest) gets a real scan, started by the scheduled job and checked by
// the re-match job through the watch queue; a registry that refuses the credentials fails that
// tag's check alone; an image named by digest is not checked.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SQS } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsWatchQueue } from '../../functions/adapters/sqs/sqs-watch-queue.ts';
import type { RegistryCheckBatch } from '../../functions/domain/watch/registry-check.ts';
import { writeOciLayout } from '../../scanner-task/testing/build-image.ts';
import { push, startRegistry, type LocalRegistry } from '../../scanner-task/testing/local-registry.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';
import { waitForStatus, writeAppImage } from '../pipeline/pipeline-support.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const skip = missingTools('docker-registry', 'skopeo', 'htpasswd');
const CREDENTIALS = { username: 'ci', password: 'secret' };

describe.skipIf(skip)(`registry checks${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let stack: TestStack;
  let org: SeededOrg;
  let admin: Credential;
  let registry: LocalRegistry;
  const sqs = new SQS({});
  let queueUrl: string;

  beforeAll(async () => {
    stack = await startTestStack({ pipeline: true });
    org = await seedOrganization('registry-check');
    admin = apiKey(org.apiKeys.admin);
    registry = await startRegistry({ auth: CREDENTIALS });
    push(await writeAppImage(), registry.host, 'example/app:1.0', [], CREDENTIALS);
    push(await writeAppImage(), registry.host, 'example/pinned:1.0', [], CREDENTIALS);
    expect((await call(stack.baseUrl, 'PUT', `/api/registries/${registry.host}`, admin, CREDENTIALS)).status).toBe(201);
    queueUrl = (await sqs.createQueue({ QueueName: `registry-check-${Date.now().toString(36)}` })).QueueUrl!;
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await registry?.stop();
  });

  const scanOf = async (image: string) => {
    const submitted = await call(stack.baseUrl, 'POST', '/api/scans', admin, { image, scanners: ['harborguard'] });
    expect(submitted.status).toBe(202);
    await waitForStatus(stack.baseUrl, admin, submitted.body.scanId, (status) => status === 'COMPLETE');
    return (await call(stack.baseUrl, 'GET', `/api/scans/${submitted.body.scanId}`, admin)).body.data;
  };

  /** Plans the checks onto a private queue and checks each batch, as the job would. */
  async function checkNow() {
    const [{ planRegistryChecks, checkTags }, { rematchDependencies }] = await Promise.all([
      import('../../functions/domain/watch/registry-check.ts'),
      import('../../functions/composition/rematch.ts'),
    ]);
    const deps = rematchDependencies();
    const batches = await planRegistryChecks({ ...deps, watchQueue: new SqsWatchQueue(sqs, queueUrl) }, org.orgId);
    const counts = { moved: 0, unchanged: 0, skipped: 0, failed: 0 };
    for (let received = 0; received < batches;) {
      const { Messages = [] } = await sqs.receiveMessage({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 });
      for (const message of Messages) {
        received += 1;
        const result = await checkTags(JSON.parse(message.Body!) as RegistryCheckBatch, deps);
        for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] += result[key];
        await sqs.deleteMessage({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle! });
      }
    }
    return counts;
  }
  const total = async () => (await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total;

  it('leaves unchanged tags alone and scans a tag that moved, with the stored credentials', { timeout: 180_000 }, async () => {
    const first = await scanOf(`${registry.host}/example/app:1.0`);
    await scanOf(`${registry.host}/example/pinned:1.0`);
    const byDigest = await scanOf(`${registry.host}/example/app@${first.image.digest}`);
    expect(byDigest.image.tag).toBeNull();
    expect(await checkNow()).toEqual({ moved: 0, unchanged: 2, skipped: 1, failed: 0 });
    expect(await total()).toBe(3);

    // The tag is pushed anew with other content: another manifest digest.
    const moved = await writeOciLayout(mkdtempSync(join(tmpdir(), 'hg-moved-')), { layers: [[{ name: 'etc/motd', content: 'moved\n' }]] }, 'moved');
    push(moved, registry.host, 'example/app:1.0', [], CREDENTIALS);

    // Through the scheduled job and the re-match job on the stack's own watch queue, as deployed.
    const { handler } = await import('../../functions/jobs/registry-check/handler.ts');
    expect(await handler()).toEqual({ batches: 1 });
    const deadline = Date.now() + 60_000;
    let started: any[] = [];
    while (started.length === 0 && Date.now() < deadline) {
      started = (await call(stack.baseUrl, 'GET', '/api/scans?trigger=registry-check', admin)).body.data;
      if (started.length === 0) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(started).toHaveLength(1);
    await waitForStatus(stack.baseUrl, admin, started[0].id, (status) => status === 'COMPLETE');
    const rescanned = (await call(stack.baseUrl, 'GET', `/api/scans/${started[0].id}`, admin)).body.data;
    expect(rescanned).toMatchObject({
      image: { name: `${registry.host}/example/app`, tag: '1.0' },
      trigger: { kind: 'registry-check', previousDigest: first.image.digest },
    });
    expect(rescanned.image.digest).not.toBe(first.image.digest);
    expect(rescanned.trigger.digest).toBe(rescanned.image.digest);
    expect(await total()).toBe(4);

    // The moved tag's current scan now has the new digest: nothing more to do.
    expect(await checkNow()).toEqual({ moved: 0, unchanged: 2, skipped: 1, failed: 0 });

    // Credentials the registry refuses fail each tag's check, and start nothing.
    expect((await call(stack.baseUrl, 'PUT', `/api/registries/${registry.host}`, admin, { ...CREDENTIALS, password: 'wrong' })).status).toBe(200);
    expect(await checkNow()).toEqual({ moved: 0, unchanged: 0, skipped: 1, failed: 2 });
    expect(await total()).toBe(4);
  });
});
