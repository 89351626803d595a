// Bad input on every endpoint: a clear 4xx with the documented error body, never a 500,
// and nothing stored changes.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, authHeaders, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let sensor: Credential;
let pat: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('badinput');
  admin = apiKey(org.apiKeys.admin);
  sensor = apiKey(org.sensorKey);
  pat = { kind: 'bearer', value: org.pats.admin };
});
afterAll(() => stack?.close());

async function expectError(response: Awaited<ReturnType<typeof call>>, status: number, code: string, path?: string) {
  expect({ status: response.status, code: response.body?.error?.code }).toEqual({ status, code });
  expect(typeof response.body.error.message).toBe('string');
  expect(JSON.stringify(response.body)).not.toMatch(/at .*\.ts:\d+|Error:/);
  if (path) expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
}

const raw = (path: string, credential: Credential, body: string | Buffer, headers: Record<string, string>) =>
  fetch(stack.baseUrl + path, { method: 'POST', headers: { ...authHeaders(credential), ...headers }, body: new Uint8Array(Buffer.from(body)) }).then(
    async (r) => ({ status: r.status, headers: r.headers, body: JSON.parse(await r.text()) }),
  );

const BODY_ROUTES: Array<[string, () => Credential]> = [
  ['/api/scans', () => admin],
  ['/api/scans/upload', () => sensor],
  ['/api/api-keys', () => admin],
  ['/api/personal-access-tokens', () => pat],
  ['/api/members', () => admin],
];

describe.each(BODY_ROUTES)('POST %s', (path, credential) => {
  it('rejects malformed JSON with 400 BAD_REQUEST', async () => {
    await expectError(await call(stack.baseUrl, 'POST', path, credential(), '{"image": '), 400, 'BAD_REQUEST');
  });
  it('rejects a missing body', async () => {
    await expectError(await raw(path, credential(), '', { 'Content-Type': 'application/json' }), 400, 'BAD_REQUEST');
  });
  it('rejects a wrong content type with 415', async () => {
    await expectError(await raw(path, credential(), '{}', { 'Content-Type': 'text/plain' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
  it('rejects unknown fields with 400 VALIDATION_ERROR naming them', async () => {
    const response = await call(stack.baseUrl, 'POST', path, credential(), { surprise: true });
    await expectError(response, 400, 'VALIDATION_ERROR');
  });
  it('rejects non-object JSON', async () => {
    await expectError(await call(stack.baseUrl, 'POST', path, credential(), '[1,2,3]'), 400, 'VALIDATION_ERROR');
  });
  it('rejects a body over 10 MB with 413', async () => {
    await expectError(await raw(path, credential(), 'x'.repeat(10 * 1024 * 1024 + 10), { 'Content-Type': 'application/json' }), 413, 'PAYLOAD_TOO_LARGE');
  });
});

describe('POST /api/scans', () => {
  it.each([
    ['image', { image: '' }],
    ['image', { image: 'Not A Ref' }],
    ['image', { image: 'nginx:bad tag' }],
    ['image', { image: 'nginx@sha256:xyz' }],
    ['scanners[0]', { image: 'ghcr.io/acme/api:1.0', scanners: ['nessus'] }],
    ['scanners', { image: 'ghcr.io/acme/api:1.0', scanners: [] }],
    ['image', { image: 42 }],
    ['scans', { scans: [] }],
    ['scans[1].image', { scans: [{ image: 'nginx' }, { image: 'UPPER' }] }],
    ['scans', { scans: Array.from({ length: 101 }, () => ({ image: 'nginx' })) }],
  ])('bad %s → 400 naming it, and queues nothing (case %#)', async (path, body) => {
    const before = (await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total;
    const response = await call(stack.baseUrl, 'POST', '/api/scans', apiKey(org.apiKeys.developer), body);
    await expectError(response, 400, 'VALIDATION_ERROR', path);
    expect((await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total).toBe(before);
  });
});

describe('POST /api/scans/upload', () => {
  it('names the exact path of an invalid field', async () => {
    const envelope = sampleEnvelope();
    (envelope.vulnerabilities[1] as { severity: string }).severity = 'SEVERE';
    await expectError(await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope), 400, 'VALIDATION_ERROR', 'vulnerabilities[1].severity');
  });
  it('rejects a scan id that is not one', async () => {
    await expectError(
      await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, sampleEnvelope({ scan: { id: '../../etc' } })),
      400,
      'VALIDATION_ERROR',
      'scan.id',
    );
  });
  it('accepts a gzip body and rejects a broken one', async () => {
    const envelope = sampleEnvelope();
    const ok = await raw('/api/scans/upload', sensor, gzipSync(JSON.stringify(envelope)), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
    expect(ok.status).toBe(200);
    expect(ok.body.data.id).toBe(envelope.scan.id);
    await expectError(
      await raw('/api/scans/upload', sensor, Buffer.from('not gzip'), { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }),
      400,
      'BAD_REQUEST',
    );
    await expectError(
      await raw('/api/scans/upload', sensor, '{}', { 'Content-Type': 'application/json', 'Content-Encoding': 'br' }),
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    );
  });
  it('rejects a gzip bomb without inflating it whole', async () => {
    const bomb = gzipSync(Buffer.alloc(80 * 1024 * 1024, 0x20));
    await expectError(
      await raw('/api/scans/upload', sensor, bomb, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }),
      413,
      'PAYLOAD_TOO_LARGE',
    );
  });
});

describe('identity bodies', () => {
  it.each([
    ['/api/api-keys', { name: '' }, 'name'],
    ['/api/api-keys', { name: 'k', role: 'superuser' }, 'role'],
    ['/api/api-keys', { name: 'k', expiresAt: '2001-01-01T00:00:00Z' }, 'expiresAt'],
    ['/api/api-keys', { name: 'k', expiresAt: 'tomorrow' }, 'expiresAt'],
    ['/api/api-keys', { name: 'k', sensor: 'yes' }, 'sensor'],
    ['/api/members', { email: 'not-an-email', role: 'viewer' }, 'email'],
    ['/api/members', { email: 'a@b.test' }, 'role'],
  ])('POST %s %j → 400 naming %s', async (path, body, field) => {
    await expectError(await call(stack.baseUrl, 'POST', path, admin, body), 400, 'VALIDATION_ERROR', field);
  });
  it('PATCH /api/members/{userId} with a bad role → 400', async () => {
    await expectError(await call(stack.baseUrl, 'PATCH', `/api/members/${org.userIds.viewer}`, admin, { role: 'god' }), 400, 'VALIDATION_ERROR', 'role');
  });
});

describe('paths and methods', () => {
  it.each([
    ['GET', '/api/scans/not-a-scan-id'],
    ['GET', `/api/scans/scn-${'x'.repeat(200)}`],
    ['GET', '/api/scans/scn-%2e%2e%2fetc/status'],
    ['DELETE', '/api/api-keys/..'],
    ['GET', '/api/nothing-here'],
  ])('%s %s → 404 NOT_FOUND', async (method, path) => {
    await expectError(await call(stack.baseUrl, method, path, admin), 404, 'NOT_FOUND');
  });
  it('PUT /api/scans → 405 with Allow', async () => {
    const response = await call(stack.baseUrl, 'PUT', '/api/scans', admin, {});
    await expectError(response, 405, 'METHOD_NOT_ALLOWED');
    expect(response.headers.get('allow')).toBe('GET, POST');
  });
});
