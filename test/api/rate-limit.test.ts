// POST /api/scans: 10 per rolling 60 s per credential, exact under concurrency.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, call } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('ratelimit');
});
afterAll(() => stack?.close());

const submit = (credential: Parameters<typeof call>[3]) =>
  call(stack.baseUrl, 'POST', '/api/scans', credential, { image: 'ghcr.io/acme/api:1.4.7', scanners: ['trivy'] });

it('accepts exactly 10 of 30 concurrent requests and answers the rest 429 with retry headers', async () => {
  const responses = await Promise.all(Array.from({ length: 30 }, () => submit(apiKey(org.apiKeys.developer))));
  const accepted = responses.filter((r) => r.status === 202);
  const limited = responses.filter((r) => r.status === 429);
  expect(accepted).toHaveLength(10);
  expect(limited).toHaveLength(20);
  for (const response of limited) {
    expect(response.body.error.code).toBe('RATE_LIMITED');
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(response.headers.get('ratelimit-policy')).toBe('"scans";q=10;w=60');
    expect(response.headers.get('ratelimit')).toMatch(/^"scans";r=0;t=\d+$/);
  }
  const remaining = accepted.map((r) => Number(/r=(\d+)/.exec(r.headers.get('ratelimit') ?? '')?.[1])).sort((a, b) => a - b);
  expect(remaining).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);

  // The queue got one message per accepted scan and the list counts exactly those.
  const list = await call(stack.baseUrl, 'GET', '/api/scans?limit=200', apiKey(org.apiKeys.admin));
  expect(list.body.meta.total).toBe(10);
});

it('counts per credential: another key, and the user behind a PAT and a session, have their own budget', async () => {
  expect((await submit(apiKey(org.apiKeys.admin))).status).toBe(202);
  // PAT and session of the same user share one budget.
  const results = [];
  for (let i = 0; i < 6; i++) results.push((await submit({ kind: 'bearer', value: org.pats.developer })).status);
  for (let i = 0; i < 6; i++) results.push((await submit({ kind: 'cookie', value: org.sessions.developer })).status);
  expect(results.filter((s) => s === 202)).toHaveLength(10);
  expect(results.slice(10)).toEqual([429, 429]);
});

it('counts a batch as one request', async () => {
  const batch = { scans: Array.from({ length: 12 }, (_, i) => ({ image: `ghcr.io/acme/svc-${i}:1.0`, scanners: ['trivy'] })) };
  const response = await call(stack.baseUrl, 'POST', '/api/scans', { kind: 'bearer', value: org.apiKeys.viewer.replace(/.$/, 'x') }, batch);
  expect(response.status).toBe(401);
  const ok = await call(stack.baseUrl, 'POST', '/api/scans', { kind: 'bearer', value: org.pats.admin }, batch);
  expect(ok.status).toBe(202);
  expect(ok.body.scans).toHaveLength(12);
  expect(ok.headers.get('ratelimit')).toMatch(/^"scans";r=9;t=0$/);
});
