// A scanner task's credential lives and dies with its scan: after DELETE or cancel it uploads
// nothing, it never creates a scan, and a retried upload of a finished ingest changes nothing.
// Every sensor upload is audited (who, what, from where, when; no secret).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('taskcred');
  admin = apiKey(org.apiKeys.admin);
});
afterAll(() => stack?.close());

/** A queued scan moved to IN_PROGRESS as the dispatcher does, with its task's credential. */
async function runningScan(): Promise<{ scanId: string; task: Credential }> {
  const scanId = (await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'ghcr.io/acme/worker:3.1' })).body.scanId as string;
  const deps = apiDependencies();
  const deadline = new Date(Date.now() + 600_000).toISOString();
  await deps.scans.transitionScan(org.orgId, scanId, ['QUEUED'], { status: 'IN_PROGRESS', deadline, updatedAt: new Date().toISOString() });
  return { scanId, task: apiKey(await mintScanCredential(org.orgId, scanId, deadline, deps)) };
}

const upload = (credential: Credential, body: unknown) => call(stack.baseUrl, 'POST', '/api/scans/upload', credential, body);

describe('a task credential after its scan is deleted', () => {
  it('cannot upload the scan back into existence, nor ask for an upload URL', async () => {
    const { scanId, task } = await runningScan();
    expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${scanId}`, admin)).status).toBe(200);

    const response = await upload(task, sampleEnvelope({ scan: { id: scanId } }));
    expect({ status: response.status, code: response.body.error?.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).status).toBe(404);
    const url = await call(stack.baseUrl, 'POST', '/api/scans/upload-url', task, { scanId });
    expect(url.status).toBe(403);
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload-url', task, { scanId, scanner: 'trivy' })).status).toBe(403);
    expect((await call(stack.baseUrl, 'POST', `/api/scans/${scanId}/progress`, task, { stage: 'matching', percent: 50 })).status).toBe(404);
  });
});

describe('a task credential after its scan is cancelled', () => {
  it('uploads nothing (409) and the scan stays CANCELLED', async () => {
    const { scanId, task } = await runningScan();
    expect((await call(stack.baseUrl, 'POST', `/api/scans/${scanId}/cancel`, admin)).status).toBe(200);
    expect((await upload(task, sampleEnvelope({ scan: { id: scanId } }))).status).toBe(409);
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload-url', task, { scanId })).status).toBe(409);
    expect((await call(stack.baseUrl, 'POST', '/api/scans/upload-url', task, { scanId, scanner: 'trivy' })).status).toBe(409);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/status`, admin)).body.data.status).toBe('CANCELLED');
  });
});

describe('a task credential whose deleted scan id a sensor has used again', () => {
  it("does not act on the sensor's scan", async () => {
    const { scanId, task } = await runningScan();
    expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${scanId}`, admin)).status).toBe(200);
    expect((await upload(apiKey(org.sensorKey), sampleEnvelope({ scan: { id: scanId } }))).status).toBe(200);
    expect((await upload(task, sampleEnvelope({ scan: { id: scanId }, vulnerabilities: [] }))).status).toBe(403);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).body.data.vulnerabilities).toHaveLength(3);
  });
});

describe('a task credential for a scan id that never existed', () => {
  it('creates no scan', async () => {
    const scanId = 'scn-nevereverqueued';
    const task = apiKey(await mintScanCredential(org.orgId, scanId, new Date(Date.now() + 600_000).toISOString(), apiDependencies()));
    expect((await upload(task, sampleEnvelope({ scan: { id: scanId } }))).status).toBe(403);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).status).toBe(404);
  });
});

describe('a finished ingest, uploaded again', () => {
  it('answers the same and writes nothing (the scan keeps its updatedAt)', async () => {
    const { scanId, task } = await runningScan();
    const envelope = sampleEnvelope({ scan: { id: scanId, startedAt: '2026-04-26T14:21:33.000Z', finishedAt: '2026-04-26T14:22:11.000Z' } });
    const first = await upload(task, envelope);
    expect(first.status).toBe(200);
    const stored = await apiDependencies().scans.getScan(org.orgId, scanId);
    const again = await upload(task, envelope);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    expect((await apiDependencies().scans.getScan(org.orgId, scanId))?.updatedAt).toBe(stored?.updatedAt);
  });
});

describe('sensor uploads are audited', () => {
  it('with actor, target, source address and time, and no secret', async () => {
    const envelope = sampleEnvelope();
    expect((await upload(apiKey(org.sensorKey), envelope)).status).toBe(200);
    const { entries } = await apiDependencies().triage.listAudit(org.orgId, 50);
    const entry = entries.find((e) => e.action === 'scan.upload' && e.target === envelope.scan.id);
    expect(entry).toMatchObject({ actor: expect.stringMatching(/^ak-/), sourceIp: expect.stringMatching(/127\.0\.0\.1/), at: expect.any(String) });
    expect(JSON.stringify(entry)).not.toContain(org.sensorKey);
    expect(JSON.stringify(entry)).not.toMatch(/hg_ak_/);
  });
});
