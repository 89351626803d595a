// The egress policy end to end: the control plane refuses what it can tell from the reference
// alone (400 naming the field), an admin cannot aim registry settings at such a host, and the
// scanner task enforces the policy itself on whatever the registry makes it fetch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileRegistry, startSentinel, type HostileRegistry, type Sentinel } from '../../scanner-task/testing/hostile-registry.ts';
import { waitForStatus } from '../pipeline/pipeline-support.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let admin: Credential;
let developer: Credential;
let sentinel: Sentinel;
let registry: HostileRegistry;

beforeAll(async () => {
  sentinel = await startSentinel();
  // Redirects every manifest request to the internal service.
  registry = await startHostileRegistry({
    hook: (req, res) => {
      if (!req.url?.includes('/manifests/')) return false;
      res.writeHead(307, { location: `https://127.0.0.2:${sentinel.port}/v2/example/app/manifests/1` }).end();
      return true;
    },
  });
  // As a deployment that allows one private registry address: here the hostile one.
  stack = await startTestStack({ pipeline: true, env: { HG_EGRESS_ALLOW: '127.0.0.1/32' } });
  const org = await seedOrganization('ssrf-submission');
  admin = apiKey(org.apiKeys.admin);
  developer = apiKey(org.apiKeys.developer);
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await registry?.stop();
  await sentinel?.stop();
  expect(sentinel.connections()).toBe(0);
});

describe('POST /api/scans', () => {
  it.each([
    '169.254.169.254:80/latest/meta-data',
    '169.254.170.2:80/v2/credentials',
    '0251.0376.0251.0376:80/x',
    '2852039166:80/x',
    '0xa9fea9fe:80/x',
    '10.0.0.1:5000/team/app:1',
    '172.16.5.4:5000/team/app:1',
    '192.168.1.10:5000/team/app:1',
    '[fd00::1]:5000/team/app:1',
    '[fe80::1]:5000/team/app:1',
    '[::ffff:169.254.169.254]:80/x',
    '127.0.0.2:5000/team/app:1',
  ])('refuses %s with 400 naming image', async (image) => {
    const response = await call(stack.baseUrl, 'POST', '/api/scans', developer, { image });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.issues).toEqual([
      expect.objectContaining({ path: 'image', message: expect.stringMatching(/not allowed|never allowed|not a valid registry host/) }),
    ]);
  });

  it('names the batch entry that is refused, and queues none of the batch', async () => {
    const before = (await call(stack.baseUrl, 'GET', '/api/scans?limit=100', developer)).body.meta.total;
    const response = await call(stack.baseUrl, 'POST', '/api/scans', developer, {
      scans: [{ image: 'ghcr.io/acme/api:1' }, { image: '169.254.169.254:80/x' }],
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].path).toBe('scans[1].image');
    expect((await call(stack.baseUrl, 'GET', '/api/scans?limit=100', developer)).body.meta.total).toBe(before);
  });

  it('accepts names (judged at connect time) and the allowed address', async () => {
    for (const image of ['ghcr.io/acme/api:1', `${registry.host}/example/app:1`]) {
      const response = await call(stack.baseUrl, 'POST', '/api/scans', developer, { image });
      expect(response.status).toBe(202);
      await call(stack.baseUrl, 'POST', `/api/scans/${response.body.scanId}/cancel`, developer);
    }
  });
});

describe('PUT /api/registries/{host}', () => {
  it.each(['169.254.169.254', '169.254.170.2:80', '10.1.2.3:5000', '[fd00::1]:5000'])('refuses settings for %s', async (host) => {
    const response = await call(stack.baseUrl, 'PUT', `/api/registries/${encodeURIComponent(host)}`, admin, { allowPlainHttp: true });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].path).toBe('host');
  });
});

describe('the scanner task', () => {
  it('refuses a redirect to an internal address and fails the scan with EGRESS_DENIED', { timeout: 120_000 }, async () => {
    const { scanId } = (await call(stack.baseUrl, 'POST', '/api/scans', developer, { image: `${registry.host}/example/app:1` })).body;
    const scan = await waitForStatus(stack.baseUrl, developer, scanId, (status) => status === 'FAILED' || status === 'COMPLETE');
    expect(scan.status).toBe('FAILED');
    expect(scan.failure).toMatchObject({ code: 'EGRESS_DENIED', reason: expect.stringMatching(/127\.0\.0\.2 is a loopback address/) });
    expect(registry.requests.some((r) => r.path.includes('/manifests/'))).toBe(true);
    expect(sentinel.connections()).toBe(0);
  });
});
