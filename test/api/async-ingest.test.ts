// Large envelopes are ingested by the ingest job, not within the request: POST /api/scans/upload
// validates, answers 202 INGESTING and queues the request; the scanner's client waits on
// GET /api/scans/{id}/ingest. Retries never repeat a finished ingest, and a scan deleted while
// its upload waits is not brought back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanEnvelopeSchema, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { envelopeDigest } from '../../functions/domain/scans/ingest-envelope.ts';
import { runIngestRequest, SYNCHRONOUS_INGEST_MAX_VULNERABILITIES } from '../../functions/domain/scans/ingest-request.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { ControlPlaneClient } from '../../scanner-task/task/control-plane-client.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('asyncingest');
  admin = apiKey(org.apiKeys.admin);
});
afterAll(() => stack?.close());

/** One more distinct finding than a request ingests itself. */
function largeEnvelope(scanId?: string): ScanEnvelope {
  const count = SYNCHRONOUS_INGEST_MAX_VULNERABILITIES + 1;
  return sampleEnvelope({
    ...(scanId ? { scan: { id: scanId, startedAt: '2026-04-26T14:21:33.000Z', finishedAt: '2026-04-26T14:22:11.000Z' } } : {}),
    vulnerabilities: Array.from({ length: count }, (_, i) => ({
      id: `CVE-2024-${String(10_000 + i)}`,
      severity: 'MEDIUM' as const,
      cvss: 5,
      package: `pkg-${i % 50}`,
      version: '1.0.0',
    })),
  });
}

async function runningScan(): Promise<{ scanId: string; task: string }> {
  const scanId = (await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'ghcr.io/acme/big:1.0' })).body.scanId as string;
  const deps = apiDependencies();
  const deadline = new Date(Date.now() + 600_000).toISOString();
  await deps.scans.transitionScan(org.orgId, scanId, ['QUEUED'], { status: 'IN_PROGRESS', deadline, updatedAt: new Date().toISOString() });
  return { scanId, task: await mintScanCredential(org.orgId, scanId, deadline, deps) };
}

const uploads = async (scanId: string) =>
  (await apiDependencies().triage.listAudit(org.orgId, 200)).entries.filter((e) => e.action === 'scan.upload' && e.target === scanId);
/**
 * The job audits an upload just after its results became visible (the client may see COMPLETE
 * first): wait for the entry, then check that it is the only one.
 */
const expectOneUpload = async (scanId: string) => {
  await expect.poll(() => uploads(scanId), { timeout: 30_000 }).not.toHaveLength(0);
  expect(await uploads(scanId)).toHaveLength(1);
};
const client = (key: string) => new ControlPlaneClient(stack.baseUrl, key, { intervalMs: 100, timeoutMs: 120_000 });

describe('an envelope too large to ingest within the request', () => {
  it('is answered 202 INGESTING, ingested by the job, and the task client waits for it', { timeout: 180_000 }, async () => {
    const { scanId, task } = await runningScan();
    const envelope = largeEnvelope(scanId);
    const accepted = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(task), envelope);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({ data: { id: scanId, status: 'INGESTING' } });

    // The task retries its upload (its first answer lost): the same envelope is recognised.
    const done = (await client(task).upload(envelope)) as { data: { id: string; status: string; riskScore: number } };
    expect(done.data).toMatchObject({ id: scanId, status: 'COMPLETE' });
    const detail = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/vulnerabilities?limit=1`, admin)).body;
    expect(detail.meta.total).toBe(SYNCHRONOUS_INGEST_MAX_VULNERABILITIES + 1);

    // Finished: another retry answers from what is stored and ingests nothing.
    const again = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(task), envelope);
    expect(again.status).toBe(200);
    expect(again.body.data).toEqual(done.data);
    await expectOneUpload(scanId);
  });

  it('from a sensor, for a scan never queued: IN_PROGRESS while ingesting, then COMPLETE', { timeout: 180_000 }, async () => {
    const envelope = largeEnvelope();
    const accepted = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), envelope);
    expect(accepted.status).toBe(202);
    const done = (await client(org.sensorKey).upload(envelope)) as { data: { status: string } };
    expect(done.data.status).toBe('COMPLETE');
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}/status`, admin)).body.data.status).toBe('COMPLETE');
    await expectOneUpload(envelope.scan.id);
  });

  it.each([
    ['deleted', 'DELETE', '', 404],
    ['cancelled', 'POST', '/cancel', 200],
  ] as const)('is not ingested into a scan %s meanwhile', { timeout: 60_000 }, async (_what, method, suffix, after) => {
    const { scanId, task } = await runningScan();
    const envelope = largeEnvelope(scanId);
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(task), envelope)).status).toBe(202);
    const ended = await call(stack.baseUrl, method, `/api/scans/${scanId}${suffix}`, admin);
    // The job may have been quicker than the request: then there is nothing left to stop.
    if (ended.status === 409) return;
    expect(ended.status).toBe(200);
    // The request, as the job gets it (whether or not the job has run it already).
    const envelopeSha256 = envelopeDigest(scanEnvelopeSchema.parse(envelope));
    const message = {
      orgId: org.orgId,
      scanId,
      envelopeS3Key: `uploads/${org.orgId}/${scanId}/${envelopeSha256.slice(0, 32)}.json.gz`,
      envelopeSha256,
      actor: { credentialId: 'ak-task', scanId },
    };
    expect(await runIngestRequest(message, apiDependencies())).toBe('superseded');
    const scan = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin);
    expect(scan.status).toBe(after);
    if (after === 200) expect(scan.body.data.status).toBe('CANCELLED');
  });

  it('is still a 400 when invalid, before anything is queued', async () => {
    const envelope = largeEnvelope();
    (envelope.vulnerabilities[SYNCHRONOUS_INGEST_MAX_VULNERABILITIES] as { severity: string }).severity = 'SEVERE';
    const response = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), envelope);
    expect(response.status).toBe(400);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, admin)).status).toBe(404);
  });
});
