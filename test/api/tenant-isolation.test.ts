// Two organisations on one table: nothing of one is visible to, or changeable by, the other.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, call } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let acme: SeededOrg;
let globex: SeededOrg;
let acmeScan: string;

beforeAll(async () => {
  stack = await startTestStack();
  acme = await seedOrganization('acme');
  globex = await seedOrganization('globex');
  acmeScan = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(acme.apiKeys.admin), { image: 'ghcr.io/acme/secret-app:1.0' })).body.scanId;
  await call(stack.baseUrl, 'POST', '/api/scans', apiKey(globex.apiKeys.admin), { image: 'ghcr.io/globex/app:2.0' });
});
afterAll(() => stack?.close());

it('lists, counts and searches only the caller organisation', async () => {
  const list = await call(stack.baseUrl, 'GET', '/api/scans', apiKey(globex.apiKeys.admin));
  expect(list.body.meta.total).toBe(1);
  expect(list.body.data.map((s: { id: string }) => s.id)).not.toContain(acmeScan);
  const search = await call(stack.baseUrl, 'GET', '/api/scans?search=secret-app', apiKey(globex.apiKeys.admin));
  expect(search.body.data).toEqual([]);
  expect(search.body.meta.total).toBe(0);
  const byId = await call(stack.baseUrl, 'GET', `/api/scans?search=${acmeScan}`, apiKey(globex.apiKeys.admin));
  expect(byId.body.meta.total).toBe(0);
});

it('lists, searches and shows only the caller organisation images (the catalogue, and search of scans through it)', async () => {
  const acmeImages = await call(stack.baseUrl, 'GET', '/api/images', apiKey(acme.apiKeys.viewer));
  expect(acmeImages.body.data.map((i: { name: string }) => i.name)).toEqual(['ghcr.io/acme/secret-app']);
  const acmeImage = acmeImages.body.data[0].id;
  const globexImages = await call(stack.baseUrl, 'GET', '/api/images', apiKey(globex.apiKeys.viewer));
  expect(globexImages.body.data.map((i: { name: string }) => i.name)).toEqual(['ghcr.io/globex/app']);
  for (const query of ['search=secret-app', 'search=ghcr.io', 'registry=ghcr.io']) {
    const rows = (await call(stack.baseUrl, 'GET', `/api/images?${query}`, apiKey(globex.apiKeys.viewer))).body.data.map((i: { id: string }) => i.id);
    expect([query, rows.includes(acmeImage)]).toEqual([query, false]);
  }
  for (const path of [`/api/images/${acmeImage}`, `/api/images/${acmeImage}/history`]) {
    const response = await call(stack.baseUrl, 'GET', path, apiKey(globex.apiKeys.admin));
    expect([path, response.status, response.body.error?.code]).toEqual([path, 404, 'NOT_FOUND']);
    expect((await call(stack.baseUrl, 'GET', path, apiKey(acme.apiKeys.viewer))).status).toBe(200);
  }
  const scans = await call(stack.baseUrl, 'GET', '/api/scans?search=ghcr.io', apiKey(globex.apiKeys.admin));
  expect(scans.body.data.map((s: { id: string }) => s.id)).not.toContain(acmeScan);
});

it('answers 404 for another organisation scan on every scan route, and leaves it intact', async () => {
  for (const [method, path] of [
    ['GET', `/api/scans/${acmeScan}`],
    ['GET', `/api/scans/${acmeScan}/status`],
    ['DELETE', `/api/scans/${acmeScan}`],
  ] as const) {
    const response = await call(stack.baseUrl, method, path, apiKey(globex.apiKeys.admin));
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('NOT_FOUND');
  }
  expect((await call(stack.baseUrl, 'GET', `/api/scans/${acmeScan}`, apiKey(acme.apiKeys.admin))).status).toBe(200);
});

it('does not let a sensor overwrite another organisation scan through the upload', async () => {
  const envelope = sampleEnvelope({ scan: { id: acmeScan } });
  const upload = await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(globex.sensorKey), envelope);
  expect(upload.status).toBe(200);
  // Globex got its own sensor scan under that id; Acme's queued scan is untouched.
  const acmeView = await call(stack.baseUrl, 'GET', `/api/scans/${acmeScan}`, apiKey(acme.apiKeys.admin));
  expect(acmeView.body.data.status).toBe('QUEUED');
  expect(acmeView.body.data.vulnerabilities).toEqual([]);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', apiKey(acme.apiKeys.admin))).body.meta.total).toBe(1);
});

it('keeps credentials and members apart', async () => {
  const keys = await call(stack.baseUrl, 'GET', '/api/api-keys', apiKey(globex.apiKeys.admin));
  const names = keys.body.data.map((k: { id: string }) => k.id);
  const acmeKeys = (await call(stack.baseUrl, 'GET', '/api/api-keys', apiKey(acme.apiKeys.admin))).body.data.map((k: { id: string }) => k.id);
  expect(names.filter((id: string) => acmeKeys.includes(id))).toEqual([]);
  for (const id of acmeKeys) {
    expect((await call(stack.baseUrl, 'DELETE', `/api/api-keys/${id}`, apiKey(globex.apiKeys.admin))).status).toBe(404);
  }
  const members = await call(stack.baseUrl, 'GET', '/api/members', apiKey(globex.apiKeys.admin));
  expect(members.body.data.every((m: { email: string }) => m.email.endsWith('@globex.test'))).toBe(true);
  const demote = await call(stack.baseUrl, 'PATCH', `/api/members/${acme.userIds.admin}`, apiKey(globex.apiKeys.admin), { role: 'viewer' });
  expect(demote.status).toBe(404);
  expect((await call(stack.baseUrl, 'GET', '/api/members', apiKey(acme.apiKeys.admin))).status).toBe(200);
  // A PAT of an Acme user never reads Globex.
  const crossed = await call(stack.baseUrl, 'GET', '/api/scans', { kind: 'bearer', value: acme.pats.admin });
  expect(crossed.body.data.map((s: { id: string }) => s.id)).toEqual([acmeScan]);
});

it('lists, filters and shows only the caller organisation vulnerabilities', async () => {
  const envelope = sampleEnvelope({
    image: { name: 'ghcr.io/acme/secret-app', tag: '1.0', digest: 'sha256:' + 'ef'.repeat(32) },
    vulnerabilities: [{ id: 'CVE-2031-4242', severity: 'CRITICAL', cvss: 9.9, package: 'secret-lib', version: '1.0', scanner: 'harborguard' }],
  });
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(acme.sensorKey), envelope)).status).toBe(200);
  const acmeList = await call(stack.baseUrl, 'GET', '/api/vulnerabilities', apiKey(acme.apiKeys.viewer));
  expect(acmeList.body.data.map((v: { cveId: string }) => v.cveId)).toEqual(['CVE-2031-4242']);
  const acmeImage = (await call(stack.baseUrl, 'GET', '/api/images', apiKey(acme.apiKeys.viewer))).body.data[0].id;
  expect((await call(stack.baseUrl, 'GET', '/api/vulnerabilities/CVE-2031-4242', apiKey(acme.apiKeys.viewer))).status).toBe(200);

  const other = apiKey(globex.apiKeys.admin);
  const all = await call(stack.baseUrl, 'GET', '/api/vulnerabilities?limit=200', other);
  expect(all.body.data.map((v: { cveId: string }) => v.cveId)).not.toContain('CVE-2031-4242');
  for (const query of ['cveId=CVE-2031-4242', 'search=secret-lib', 'package=secret-lib', `image=${acmeImage}`]) {
    const response = await call(stack.baseUrl, 'GET', `/api/vulnerabilities?${query}`, other);
    expect([query, response.status, response.body.meta.total]).toEqual([query, 200, 0]);
  }
  const detail = await call(stack.baseUrl, 'GET', '/api/vulnerabilities/CVE-2031-4242', other);
  expect([detail.status, detail.body.error.code]).toEqual([404, 'NOT_FOUND']);
});
