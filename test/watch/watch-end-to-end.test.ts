// Continuous monitoring end to end on the local stack: an image is scanned from a real registry
// with snapshot v1 (no advisory for its lodash); the registry is stopped; v2 is written where
// the tasks read their snapshot, the local publisher puts it in the bucket and queues a run, and
// the re-match job (the Lambda handler, through the SQS event source) re-matches the stored
// inventory: the tag gets a re-match scan whose lodash finding was detected by the re-match,
// the risk rises, finding.new reaches a receiver, and the run is listed with its counts. v3
// withdraws the advisory and the finding is resolved; a run by hand of the same snapshot writes
// nothing.
import { copyFileSync, mkdtempSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { snapshotHeader } from '../../shared/matching/snapshot-reader.ts';
import { writeAdvisorySnapshots, type SnapshotVersion } from '../../scanner-task/testing/advisory-snapshots.ts';
import { push, startRegistry, type LocalRegistry } from '../../scanner-task/testing/local-registry.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';
import { waitForStatus, writeAppImage } from '../pipeline/pipeline-support.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

const skip = missingTools('docker-registry', 'skopeo');

describe.skipIf(skip)(`re-matching on a published snapshot${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let stack: TestStack;
  let org: SeededOrg;
  let admin: Credential;
  let registry: LocalRegistry;
  let receiver: WebhookReceiver;
  let paths: Record<SnapshotVersion, string>;
  let current: string;

  /** Replaces the file the tasks read, whole, as `harborguard db build` does. */
  const install = (version: SnapshotVersion) => {
    copyFileSync(paths[version], `${current}.part`);
    renameSync(`${current}.part`, current);
  };
  const contentHash = async (version: SnapshotVersion) => (await snapshotHeader(paths[version]))!.contentHash;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hg-watch-e2e-'));
    paths = await writeAdvisorySnapshots(dir);
    current = join(dir, 'advisories.db');
    install('v1');
    stack = await startTestStack({ pipeline: true, snapshotWatch: { file: current }, env: { HARBORGUARD_DB: current } });
    org = await seedOrganization('watch-e2e');
    admin = apiKey(org.apiKeys.admin);
    registry = await startRegistry();
    push(await writeAppImage(), registry.host, 'example/app:1.0');
    receiver = await startWebhookReceiver();
    expect((await call(stack.baseUrl, 'POST', '/api/webhooks', admin, { url: receiver.url, events: ['finding.new'] })).status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await stack?.close();
    await registry?.stop();
    await receiver?.close();
  });

  const get = async (path: string) => (await call(stack.baseUrl, 'GET', path, admin)).body;

  /** The organisation's finished run against this snapshot, once the re-match job has worked it. */
  async function finishedRun(version: SnapshotVersion, trigger = 'snapshot'): Promise<any> {
    const hash = await contentHash(version);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const run = (await get('/api/watch/runs')).data.find((r: any) => r.snapshot.contentHash === hash && r.trigger.kind === trigger);
      if (run?.finishedAt) return run;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect.fail(`no finished ${trigger} run against ${version}`);
  }

  it(
    're-matches the stored inventory when a snapshot is published, without the registry, and resolves a withdrawn advisory',
    { timeout: 180_000 },
    async () => {
      const submitted = await call(stack.baseUrl, 'POST', '/api/scans', apiKey(org.apiKeys.developer), {
        image: `${registry.host}/example/app:1.0`,
        scanners: ['harborguard'],
      });
      expect(submitted.status).toBe(202);
      await waitForStatus(stack.baseUrl, admin, submitted.body.scanId, (status) => status === 'COMPLETE');
      const scanned = (await get(`/api/scans/${submitted.body.scanId}`)).data;
      expect(scanned).toMatchObject({ vulnerabilities: [], matching: { status: 'MATCHED', snapshot: { contentHash: await contentHash('v1') } } });

      // Nothing can be pulled from now on.
      await registry.stop();
      install('v2');
      await stack.snapshotWatch!.check();
      const run = await finishedRun('v2');
      expect(run).toMatchObject({ watched: 1, upToDate: 0, batches: 1, batchesDone: 1, counts: { rematched: 1, unchanged: 0, skipped: 0, failed: 0 } });
      expect(run.durationMs).toBeGreaterThanOrEqual(0);
      // Another organisation sees runs of its own tags only: none.
      const neighbour = await seedOrganization('watch-e2e-neighbour');
      expect((await call(stack.baseUrl, 'GET', '/api/watch/runs', apiKey(neighbour.apiKeys.admin))).body.data).toEqual([]);

      const rematches = (await get('/api/scans?trigger=rematch')).data;
      expect(rematches).toHaveLength(1);
      const rematched = (await get(`/api/scans/${rematches[0].id}`)).data;
      expect(rematched).toMatchObject({
        status: 'COMPLETE',
        image: { name: `${registry.host}/example/app`, tag: '1.0' },
        trigger: { kind: 'rematch', basedOn: scanned.id, snapshot: { contentHash: await contentHash('v2') } },
      });
      expect(rematched.riskScore).toBeGreaterThan(scanned.riskScore ?? 0);
      expect(rematched.packages).toEqual(scanned.packages);
      expect(rematched.vulnerabilities).toEqual([expect.objectContaining({ cveId: 'CVE-2021-23337', package: 'lodash', detectedBy: 'rematch' })]);
      await receiver.next((e) => e.type === 'finding.new' && e.data.scan.id === rematched.id);
      // Every scan of the tag but the first was a re-match: no task pulled the image again.
      expect((await get('/api/scans?trigger=api')).meta.total).toBe(1);

      install('v3');
      await stack.snapshotWatch!.check();
      expect((await finishedRun('v3')).counts.rematched).toBe(1);
      const latest = (await get('/api/scans?trigger=rematch')).data;
      expect(latest).toHaveLength(2);
      const withdrawn = (await get(`/api/scans/${latest.find((s: any) => s.id !== rematched.id).id}`)).data;
      expect(withdrawn.vulnerabilities).toEqual([]);
      expect((await get(`/api/scans/${rematched.id}`)).data.vulnerabilities[0].timeline.resolvedAt).toEqual(expect.any(String));

      // By hand, against the snapshot every tag already has: planned, nothing to do, nothing written.
      const requested = await call(stack.baseUrl, 'POST', '/api/watch/run', admin);
      expect(requested.status).toBe(202);
      const manual = await finishedRun('v3', 'manual');
      expect(manual).toMatchObject({ id: requested.body.data.runId, watched: 1, upToDate: 1, batches: 0 });
      expect((await get('/api/scans')).meta.total).toBe(3);
      // One per organisation per 5 minutes.
      const again = await call(stack.baseUrl, 'POST', '/api/watch/run', admin);
      expect(again.status).toBe(429);
      expect(again.body.error.code).toBe('RATE_LIMITED');
    },
  );
});
