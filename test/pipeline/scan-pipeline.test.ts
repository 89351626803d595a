// The pipeline end to end on real parts: POST → SQS → dispatcher → ECS endpoint → scanner
// task (a real child process) pulling from a real registry → upload → a complete scan; and
// its failure paths.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDependencies } from '../../functions/composition/api.ts';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';
import { offlineTrivyEnv, trivyBinDir, trivySkipReason } from '../../scanner-task/testing/trivy.ts';
import { push, startRegistry, type LocalRegistry } from '../../scanner-task/testing/local-registry.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { EXPECTED_PACKAGES, LODASH_ADVISORY, startBlackhole, taskArnOf, waitForStatus, writeAppImage } from './pipeline-support.ts';
import { buildSnapshot } from '../../scanner-task/match/build-snapshot.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

const skip = missingTools('docker-registry', 'skopeo', 'htpasswd');

describe.skipIf(skip)(`scan pipeline${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let stack: TestStack;
  let org: SeededOrg;
  let dev: Credential;
  let admin: Credential;
  let registry: LocalRegistry;
  let privateRegistry: LocalRegistry;
  let blackhole: Awaited<ReturnType<typeof startBlackhole>>;

  beforeAll(async () => {
    // The scanner tasks match against an advisory snapshot built from OSV fixtures, as the
    // Fargate task does with the published one.
    const dbDir = mkdtempSync(join(tmpdir(), 'hg-db-'));
    writeFileSync(join(dbDir, 'lodash.json'), JSON.stringify(LODASH_ADVISORY));
    await buildSnapshot({ from: [dbDir], output: join(dbDir, 'advisories.db') });
    // Tasks find the real trivy on their PATH when there is one, set up to run offline.
    const trivy = trivySkipReason ? {} : { PATH: `${trivyBinDir(dbDir)}${delimiter}${process.env.PATH}`, ...offlineTrivyEnv(join(dbDir, 'trivy-cache')) };
    stack = await startTestStack({ pipeline: true, env: { HARBORGUARD_DB: join(dbDir, 'advisories.db'), ...trivy } });
    org = await seedOrganization('pipeline');
    dev = apiKey(org.apiKeys.developer);
    admin = apiKey(org.apiKeys.admin);
    const source = await writeAppImage();
    registry = await startRegistry();
    privateRegistry = await startRegistry({ auth: { username: 'ci', password: 'secret' } });
    push(source, registry.host, 'example/app:1.0');
    push(source, privateRegistry.host, 'example/app:1.0', [], { username: 'ci', password: 'secret' });
    blackhole = await startBlackhole();
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await Promise.all([registry?.stop(), privateRegistry?.stop(), blackhole?.close()]);
  });

  const submit = async (image: string) => {
    const response = await call(stack.baseUrl, 'POST', '/api/scans', dev, { image, scanners: ['harborguard'] });
    expect(response.status).toBe(202);
    return response.body.scanId as string;
  };

  it('scans an image from a registry to a complete scan with packages, layers and a grade', { timeout: 120_000 }, async () => {
    const scanId = await submit(`${registry.host}/example/app:1.0`);
    const seen = new Set<string>();
    await waitForStatus(stack.baseUrl, dev, scanId, (status, data) => {
      if (data.progress) seen.add(data.progress.stage);
      return status === 'COMPLETE';
    });
    expect(seen.size).toBeGreaterThan(0);
    const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, dev)).body.data;
    expect(scan.image).toEqual({ name: `${registry.host}/example/app`, tag: '1.0', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(scan.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`).sort()).toEqual(EXPECTED_PACKAGES);
    expect(scan.layers).toHaveLength(2);
    expect(scan.compliance).toMatch(/^[A-F]$/);
    // lodash 4.17.15 is affected (fixed in 4.17.21); nothing else in the image is.
    expect(scan.vulnerabilities).toEqual([
      expect.objectContaining({ cveId: 'CVE-2021-23337', package: 'lodash', version: '4.17.15', fixedVersion: '4.17.21', severity: 'HIGH', cvss: 7.2 }),
    ]);
    expect(scan.riskScore).toBe(46); // 10·1 HIGH + 5 × 7.2
    expect(scan.duration).toBeGreaterThan(0);
    // The list shows it complete, and the running count is back to zero.
    const row = (await call(stack.baseUrl, 'GET', '/api/scans?status=COMPLETE', dev)).body.data.find((r: { id: string }) => r.id === scanId);
    expect(row).toMatchObject({ status: 'COMPLETE', compliance: scan.compliance });
    expect((await call(stack.baseUrl, 'GET', '/api/scans?status=IN_PROGRESS', dev)).body.meta.total).toBe(0);

    // A redelivered queue message never launches a second task.
    const before = await apiDependencies().scans.getScan(org.orgId, scanId);
    const redelivery = stack.pipeline!.nextDispatch(scanId);
    await new SQSClient({}).send(
      new SendMessageCommand({
        QueueUrl: stack.resources.SCAN_QUEUE_URL,
        MessageBody: JSON.stringify({
          scanId,
          orgId: org.orgId,
          image: `${registry.host}/example/app:1.0`,
          scanners: ['harborguard'],
          requestedAt: before!.requestedAt,
        }),
      }),
    );
    // Consumed, not left for another try: the dispatcher has made its decision.
    expect(await redelivery).toBe('done');
    const after = await apiDependencies().scans.getScan(org.orgId, scanId);
    expect(after).toMatchObject({ status: 'COMPLETE', taskArn: before!.taskArn, updatedAt: before!.updatedAt });
  });

  it.skipIf(trivySkipReason)(
    `runs the requested external scanner in the task and records both scanners${trivySkipReason ? ` (skipped: ${trivySkipReason})` : ''}`,
    { timeout: 120_000 },
    async () => {
      const response = await call(stack.baseUrl, 'POST', '/api/scans', dev, { image: `${registry.host}/example/app:1.0`, scanners: ['harborguard', 'trivy'] });
      expect(response.status).toBe(202);
      const scanId = response.body.scanId as string;
      await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'COMPLETE');
      const stored = await apiDependencies().artifacts.getArtifacts(org.orgId, scanId);
      expect(stored!.scanners).toEqual([
        expect.objectContaining({ name: 'harborguard', status: 'COMPLETED' }),
        { name: 'trivy', version: expect.any(String), status: 'COMPLETED', durationMs: expect.any(Number) },
      ]);
      const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, dev)).body.data;
      // trivy read the copy the engine pulled through the egress policy: its packages merged into the engine's.
      expect(scan.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`).sort()).toEqual(EXPECTED_PACKAGES);
      // Offline, trivy lists packages only: the engine's finding is the one finding.
      expect(scan.vulnerabilities).toEqual([expect.objectContaining({ cveId: 'CVE-2021-23337', package: 'lodash' })]);
      // trivy's own JSON is stored as the scan's raw output; the task uploads it after the
      // envelope, so it may land a moment after COMPLETE.
      let raw = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/raw/trivy`, dev);
      for (let tries = 0; raw.status === 404 && tries < 50; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        raw = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/raw/trivy`, dev);
      }
      expect(raw.status).toBe(200);
      const download = await fetch(raw.body.data.url);
      const trivyReport = JSON.parse(gunzipSync(Buffer.from(await download.arrayBuffer())).toString('utf8'));
      // The task never lets a tool dial the registry itself (docs/SECURITY.md): trivy scanned the local copy.
      expect(trivyReport).toMatchObject({ SchemaVersion: 2, ArtifactName: expect.stringMatching(/\/hg-image-[^/]+\/image\.tar$/) });
    },
  );

  it.each([
    ['a missing image', () => `${registry.host}/example/missing:1.0`, 'IMAGE_NOT_FOUND'],
    ['a registry that needs credentials', () => `${privateRegistry.host}/example/app:1.0`, 'REGISTRY_AUTH_REQUIRED'],
  ])('fails %s with a reason users can act on', { timeout: 120_000 }, async (_label, image, code) => {
    const scanId = await submit(image());
    const data = await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'FAILED');
    expect(data.failure.code).toBe(code);
    expect(data.failure.reason.length).toBeGreaterThan(10);
    const detail = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, dev)).body.data;
    expect(detail).toMatchObject({ status: 'FAILED', failure: { code } });
  });

  it('pulls from a private registry with the credentials the organisation stored', { timeout: 120_000 }, async () => {
    const stored = await call(stack.baseUrl, 'PUT', `/api/registries/${privateRegistry.host}`, admin, { username: 'ci', password: 'secret' });
    expect(stored.status).toBe(201);
    const scanId = await submit(`${privateRegistry.host}/example/app:1.0`);
    await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'COMPLETE' || status === 'FAILED');
    const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, dev)).body.data;
    expect(scan).toMatchObject({ status: 'COMPLETE', image: { name: `${privateRegistry.host}/example/app`, tag: '1.0' } });
    expect(scan.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`).sort()).toEqual(EXPECTED_PACKAGES);
    expect((await call(stack.baseUrl, 'DELETE', `/api/registries/${privateRegistry.host}`, admin)).status).toBe(200);
  });

  it('cancels a running scan: CANCELLED, its task stopped, its late upload refused', { timeout: 120_000 }, async () => {
    const scanId = await submit(`${blackhole.host}/example/hangs:1.0`);
    await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'IN_PROGRESS');
    const taskArn = await taskArnOf(org.orgId, scanId);
    const cancelled = await call(stack.baseUrl, 'POST', `/api/scans/${scanId}/cancel`, dev);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.data.status).toBe('CANCELLED');
    expect((await call(stack.baseUrl, 'POST', `/api/scans/${scanId}/cancel`, dev)).status).toBe(409);
    // The stopped task's exit, once its stop event has been handled, does not turn the scan into FAILED.
    await stack.pipeline!.taskStopped(taskArn);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/status`, dev)).body.data.status).toBe('CANCELLED');
    const late = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), sampleEnvelope({ scan: { id: scanId } }));
    expect(late.status).toBe(409);
  });

  it('deletes a running scan and stops its task', { timeout: 120_000 }, async () => {
    const scanId = await submit(`${blackhole.host}/example/hangs:2.0`);
    await waitForStatus(stack.baseUrl, dev, scanId, (status, data) => status === 'IN_PROGRESS' && data.progress?.stage === 'pulling');
    expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${scanId}`, admin)).status).toBe(200);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).status).toBe(404);
    expect((await call(stack.baseUrl, 'GET', '/api/scans?status=IN_PROGRESS', dev)).body.meta.total).toBe(0);
  });

  it('takes a sensor upload from the CLI: harborguard scan … --upload … --api-key …', { timeout: 120_000 }, async () => {
    const source = await writeAppImage();
    // Asynchronously: the API answering the CLI runs in this very process.
    const run = (args: string[], env: Record<string, string> = {}) =>
      promisify(execFile)(process.execPath, ['scanner-task/cli/harborguard.mjs', 'scan', source, '--upload', stack.baseUrl, ...args], {
        env: { ...process.env, ...env },
      })
        .then(({ stderr }) => ({ status: 0, stderr }))
        .catch((error: { code: number; stderr: string }) => ({ status: error.code, stderr: error.stderr }));
    const cli = await run([], { HARBORGUARD_API_KEY: org.sensorKey, HARBORGUARD_DB: '/nonexistent/advisories.db' });
    expect(cli.status, cli.stderr).toBe(0);
    const scanId = /uploaded (scn-[A-Za-z0-9_-]+)/.exec(cli.stderr)?.[1];
    expect(scanId).toBeDefined();
    const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, dev)).body.data;
    expect(scan.status).toBe('COMPLETE');
    expect(scan.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`).sort()).toEqual(EXPECTED_PACKAGES);

    const refused = await run(['--api-key', org.apiKeys.admin]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(/^harborguard: .*403 .*sensor/);
  });

  it('accepts a scan credential only for its own scan, and not after it expires', async () => {
    const deps = apiDependencies();
    const mine = await submit(`${blackhole.host}/example/never:1.0`);
    const other = sampleEnvelope();
    const key = await mintScanCredential(org.orgId, mine, new Date(Date.now() + 60_000).toISOString(), deps);
    const foreign = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(key), other);
    expect(foreign.status).toBe(403);
    expect((await call(stack.baseUrl, 'POST', `/api/scans/${other.scan.id}/progress`, apiKey(key), { stage: 'x', percent: 1 })).status).toBe(403);
    expect((await call(stack.baseUrl, 'GET', '/api/scans', apiKey(key))).status).toBe(403);
    const expired = await mintScanCredential(org.orgId, mine, new Date(Date.now() - 1000).toISOString(), deps);
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(expired), sampleEnvelope({ scan: { id: mine } }))).status).toBe(401);
    await call(stack.baseUrl, 'POST', `/api/scans/${mine}/cancel`, dev);
  });
});
