// A large scan (5,000 findings, 20,000 packages): accepted from a gzip upload and ingested by the
// ingest job, served whole within Lambda's 6 MB response limit when gzip is accepted, and page by page.
import { gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { ControlPlaneClient } from '../../scanner-task/task/control-plane-client.ts';
import { apiKey, authHeaders, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

const LAMBDA_RESPONSE_LIMIT = 6 * 1024 * 1024;
let stack: TestStack;
let org: SeededOrg;
let viewer: Credential;
let envelope: ScanEnvelope;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('large');
  viewer = apiKey(org.apiKeys.viewer);
  const severities = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const;
  envelope = sampleEnvelope({
    packages: Array.from({ length: 20_000 }, (_, i) => ({
      name: `pkg-${i}`,
      version: `1.${i % 50}.${i % 7}`,
      type: i % 3 === 0 ? 'deb' : 'npm',
      purl: `pkg:npm/pkg-${i}@1.${i % 50}.${i % 7}`,
      licenses: ['MIT'],
      location: `/app/node_modules/pkg-${i}/package.json`,
    })),
    vulnerabilities: Array.from({ length: 5_000 }, (_, i) => ({
      id: `CVE-2025-${String(10000 + i)}`,
      severity: severities[i % 4]!,
      cvss: 2 + (i % 8),
      package: `pkg-${i}`,
      version: `1.${i % 50}.${i % 7}`,
      fixedVersion: '9.9.9',
      scanner: 'harborguard',
    })),
  });
  const upload = await fetch(`${stack.baseUrl}/api/scans/upload`, {
    method: 'POST',
    headers: { ...authHeaders(apiKey(org.sensorKey)), 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
    body: new Uint8Array(gzipSync(JSON.stringify(envelope))),
  });
  // Beyond what a request ingests itself: the job does, as slowly as DynamoDB Local stores
  // (~150–500 items/s on a busy 2-core machine); the scanner's client waits for it.
  expect(upload.status).toBe(202);
  const done = (await new ControlPlaneClient(stack.baseUrl, org.sensorKey, { intervalMs: 250, timeoutMs: 170_000 }).upload(envelope)) as {
    data: { status: string };
  };
  expect(done.data.status).toBe('COMPLETE');
}, 180_000);
afterAll(() => stack?.close());

it('serves the whole scan gzip-compressed under the 6 MB limit', { timeout: 60_000 }, async () => {
  // undici's request, not fetch: fetch decodes gzip itself, and the limit is on the bytes sent.
  const response = await request(`${stack.baseUrl}/api/scans/${envelope.scan.id}`, { headers: { ...authHeaders(viewer), 'Accept-Encoding': 'gzip' } });
  expect(response.headers['content-encoding']).toBe('gzip');
  const wire = Buffer.from(await response.body.arrayBuffer());
  const text = gunzipSync(wire).toString('utf8');
  // The limit binds: uncompressed, this scan would not fit.
  expect(text.length).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT);
  // The handler returns the gzip as base64 (API Gateway's binary body): that is what must fit.
  expect(Math.ceil(wire.length / 3) * 4).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
  const data = JSON.parse(text).data;
  expect(data.vulnerabilities).toHaveLength(5_000);
  expect(data.packages).toHaveLength(20_000);
  expect(data.riskScore).toBe(100);
});

it('pages through vulnerabilities and packages, with filters', { timeout: 60_000 }, async () => {
  const page = await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}/vulnerabilities?page=2&limit=1000&severity=CRITICAL`, viewer);
  expect(page.status).toBe(200);
  expect(page.body.meta).toEqual({ page: 2, pageSize: 1000, total: 1250, totalPages: 2, hasNext: false, hasPrev: true });
  expect(page.body.data).toHaveLength(250);
  expect(page.body.data.every((v: { severity: string }) => v.severity === 'CRITICAL')).toBe(true);
  expect(page.body.links.prev).toBe(`/api/scans/${envelope.scan.id}/vulnerabilities?page=1&limit=1000&severity=CRITICAL`);

  const packages = await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}/packages?limit=500&type=deb`, viewer);
  expect(packages.body.meta.total).toBe(6_667);
  expect(packages.body.data).toHaveLength(500);
  expect(packages.body.data[0]).toEqual(envelope.packages[0]);

  for (const query of ['limit=0', 'limit=5000', 'page=x', 'severity=SEVERE', 'sort=name']) {
    const bad = await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}/vulnerabilities?${query}`, viewer);
    expect(bad.status).toBe(400);
  }
  expect((await call(stack.baseUrl, 'GET', '/api/scans/scn-unknown/packages', viewer)).status).toBe(404);
});

it('serves the SBOM of 20,000 packages gzip-compressed, and says so instead of failing when gzip is not accepted', { timeout: 60_000 }, async () => {
  const response = await fetch(`${stack.baseUrl}/api/scans/${envelope.scan.id}/sbom?format=spdx`, {
    headers: { ...authHeaders(viewer), 'Accept-Encoding': 'gzip' },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-encoding')).toBe('gzip');
  // fetch decodes the body; the bytes on the wire are in Content-Length.
  expect(Number(response.headers.get('content-length'))).toBeLessThan(LAMBDA_RESPONSE_LIMIT);
  const wire = Buffer.from(await response.arrayBuffer());
  const text = wire[0] === 0x1f && wire[1] === 0x8b ? gunzipSync(wire).toString('utf8') : wire.toString('utf8');
  expect(text.length).toBeGreaterThan(LAMBDA_RESPONSE_LIMIT);
  expect(JSON.parse(text).packages).toHaveLength(20_001);

  // Uncompressed, the SBOM would exceed what a Lambda function may return: said, not a 502.
  const plain = await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}/sbom`, viewer, undefined, { 'Accept-Encoding': 'identity' });
  expect(plain.status).toBe(406);
  expect(plain.body.error).toEqual({ code: 'NOT_ACCEPTABLE', message: expect.stringMatching(/^This response is \d+\.\d MB, .*Accept-Encoding: gzip/) });
});
