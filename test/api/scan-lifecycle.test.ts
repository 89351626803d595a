// A scan through the API: queued (with its queue message), uploaded by a sensor, read back
// whole, and deleted with everything stored for it.
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiDependencies } from '../../functions/composition/api.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let sensor: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('lifecycle');
  admin = apiKey(org.apiKeys.admin);
  sensor = apiKey(org.sensorKey);
});
afterAll(() => stack?.close());

it('queues a scan: 202 as documented, one normalised queue message, QUEUED status', async () => {
  const response = await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'nginx', scanners: ['trivy', 'grype'] });
  expect(response.status).toBe(202);
  const { scanId } = response.body;
  expect(response.body).toEqual({ scanId, status: 'QUEUED', message: 'Scan queued for execution', url: `/dashboard/scans/${scanId}` });
  expect(scanId).toMatch(/^scn-[a-z0-9]{12}$/);

  const received = await new SQSClient({}).send(
    new ReceiveMessageCommand({ QueueUrl: stack.resources.SCAN_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }),
  );
  const messages = (received.Messages ?? []).map((m) => JSON.parse(m.Body!));
  expect(messages).toEqual([expect.objectContaining({ scanId, orgId: org.orgId, image: 'docker.io/library/nginx:latest', scanners: ['trivy', 'grype'] })]);

  const status = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/status`, apiKey(org.apiKeys.viewer));
  expect(status.body).toEqual({ data: { id: scanId, status: 'QUEUED', updatedAt: expect.any(String) } });
  const detail = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin);
  expect(detail.body.data).toMatchObject({
    id: scanId,
    image: { name: 'docker.io/library/nginx', tag: 'latest', digest: null },
    status: 'QUEUED',
    vulnerabilities: [],
  });
});

it('queues a batch all or nothing and answers every scan id', async () => {
  const response = await call(stack.baseUrl, 'POST', '/api/scans', admin, {
    scans: [{ image: 'alpine:3.19' }, { image: 'ghcr.io/acme/api@sha256:' + 'a'.repeat(64) }],
  });
  expect(response.status).toBe(202);
  expect(response.body.scans.map((s: { status: string }) => s.status)).toEqual(['QUEUED', 'QUEUED']);
  const ids = response.body.scans.map((s: { scanId: string }) => s.scanId);
  for (const id of ids) expect((await call(stack.baseUrl, 'GET', `/api/scans/${id}/status`, admin)).status).toBe(200);
});

it('completes a queued scan from an upload, then serves findings, packages and layers', async () => {
  const scanId = (await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'ghcr.io/acme/api:1.4.7' })).body.scanId;
  const envelope = sampleEnvelope({
    scan: { id: scanId, startedAt: '2026-04-26T14:21:33.000Z', finishedAt: '2026-04-26T14:22:11.211Z' },
    warnings: ["usr/lib/app.jar: 300000000 bytes, above java's 268435456-byte limit; skipped"],
  });
  const upload = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  expect(upload.status).toBe(200);

  const detail = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, { kind: 'cookie', value: org.sessions.viewer })).body.data;
  expect(detail).toMatchObject({ id: scanId, status: 'COMPLETE', scannedAt: '2026-04-26T14:22:11.211Z', duration: 38211, compliance: 'F' });
  // CRITICAL 9.8 + HIGH 7.5 (the MEDIUM duplicate merges into it) + LOW: 25 + 10 + 1 + 5 × avg(9.8, 7.5) = 79.25
  expect(detail.riskScore).toBe(79);
  expect(detail.vulnerabilities.map((v: { cveId: string; severity: string }) => [v.cveId, v.severity])).toEqual([
    ['CVE-2023-0001', 'CRITICAL'],
    ['CVE-2023-0002', 'HIGH'],
    ['CVE-2023-0003', 'LOW'],
  ]);
  expect(detail.vulnerabilities[0]).toMatchObject({
    scanId,
    package: 'openssl',
    version: '3.0.1',
    fixedVersion: '3.0.7',
    cvss: 9.8,
    scanner: 'harborguard',
    triage: { status: 'OPEN', slaDeadline: '2026-04-27T14:22:11.211Z' },
    timeline: { detectedAt: '2026-04-26T14:22:11.211Z', firstSeenAt: '2026-04-26T14:22:11.211Z', resolvedAt: null },
  });
  expect(detail.packages).toEqual(envelope.packages);
  expect(detail.layers).toEqual(envelope.layers);
  expect(detail.scanners).toEqual(envelope.scanners);
  expect(detail.warnings).toEqual(envelope.warnings);

  const row = (await call(stack.baseUrl, 'GET', '/api/scans?status=COMPLETE', admin)).body.data.find((r: { id: string }) => r.id === scanId);
  expect(row).toMatchObject({ status: 'COMPLETE', riskScore: 79, compliance: 'F', duration: 38211 });
  expect((await call(stack.baseUrl, 'GET', '/api/scans?status=QUEUED', admin)).body.data.map((r: { id: string }) => r.id)).not.toContain(scanId);
});

it('keeps a completed scan as it is: the same envelope again is the same answer, another one a 409 that changes nothing', async () => {
  const envelope = sampleEnvelope();
  const first = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  expect(first.status).toBe(200);
  const before = (await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, admin)).body.data;
  const total = (await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total;

  const again = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  expect(again).toMatchObject({ status: 200, body: first.body });
  const other = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, { ...envelope, vulnerabilities: envelope.vulnerabilities.slice(0, 1) });
  expect({ status: other.status, code: other.body.error.code }).toEqual({ status: 409, code: 'CONFLICT' });
  expect(other.body.error.message).toMatch(/already COMPLETE.*start a new scan/);

  expect((await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, admin)).body.data).toEqual(before);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total).toBe(total);
});

it('deletes a scan with its findings and artifacts, and updates the counts', async () => {
  const envelope = sampleEnvelope();
  await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  const id = envelope.scan.id;
  const before = (await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total;
  expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${id}`, admin)).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', `/api/scans/${id}`, admin)).status).toBe(404);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total).toBe(before - 1);
  expect(await apiDependencies().scans.listFindings(org.orgId, id)).toEqual([]);
  await expect(
    new S3Client({}).send(new HeadObjectCommand({ Bucket: stack.resources.ARTIFACT_BUCKET, Key: `orgs/${org.orgId}/scans/${id}/artifacts.json.gz` })),
  ).rejects.toThrow();
  expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${id}`, admin)).status).toBe(404);
});

it('honours Idempotency-Key: same key and body → the same scan; another body → 422', async () => {
  const key = { 'Idempotency-Key': `ci-run-${Date.now()}` };
  const body = { image: 'ghcr.io/acme/api:2.0.0' };
  const before = (await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total;
  const first = await call(stack.baseUrl, 'POST', '/api/scans', admin, body, key);
  const again = await call(stack.baseUrl, 'POST', '/api/scans', admin, body, key);
  expect(first.status).toBe(202);
  expect(again.status).toBe(202);
  expect(again.body).toEqual(first.body);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total).toBe(before + 1);

  const other = await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'ghcr.io/acme/api:2.0.1' }, key);
  expect(other.status).toBe(422);
  expect(other.body.error.code).toBe('UNPROCESSABLE');
  // Another organisation's identical key is its own.
  const elsewhere = await seedOrganization('lifecycle-other');
  const theirs = await call(stack.baseUrl, 'POST', '/api/scans', apiKey(elsewhere.apiKeys.admin), body, key);
  expect(theirs.status).toBe(202);
  expect(theirs.body.scanId).not.toBe(first.body.scanId);
  // A request that failed validation does not use up the key.
  const fresh = { 'Idempotency-Key': `ci-run-bad-${Date.now()}` };
  expect((await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'BAD REF' }, fresh)).status).toBe(400);
  expect((await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: 'ghcr.io/acme/api:2.0.2' }, fresh)).status).toBe(202);
  expect((await call(stack.baseUrl, 'POST', '/api/scans', admin, body, { 'Idempotency-Key': 'has space' })).status).toBe(400);
});
