// POST /api/scans: 10 per rolling 60 s per credential, exact under concurrency, and free for
// requests that fail validation; failed authentications: 20 per 60 s per source address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { callFrom } from './call-from-address.ts';

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

describe('a request that fails validation costs no budget', () => {
  const MALFORMED: Array<{ body: unknown; headers?: Record<string, string>; status: number }> = [
    { body: '{"image":', status: 400 },
    { body: { image: 'ghcr.io/acme/api:1.4.7' }, headers: { 'Content-Type': 'text/plain' }, status: 415 },
    { body: { image: 'UPPER CASE::nope' }, status: 400 },
    { body: { image: 'ghcr.io/acme/api:1.4.7', colour: 'blue' }, status: 400 },
    { body: { image: 'ghcr.io/acme/api:1.4.7', scanners: ['nosuchscanner'] }, status: 400 },
    { body: { image: 'x'.repeat(2 * 1024 * 1024) }, status: 413 },
  ];
  const typo = (credential: Credential, i: number) => {
    const { body, headers, status } = MALFORMED[i % MALFORMED.length]!;
    return call(stack.baseUrl, 'POST', '/api/scans', credential, body, headers).then((response) => ({ response, status }));
  };

  it('a new user can make 30 typos and still submit 10 scans', async () => {
    const fresh = await seedOrganization('ratelimit-typos');
    const key = apiKey(fresh.apiKeys.developer);
    for (let i = 0; i < 30; i++) {
      const { response, status } = await typo(key, i);
      expect(response.status, JSON.stringify(response.body)).toBe(status);
      // The refused request gave its slot back, and the headers say so.
      expect(response.headers.get('ratelimit')).toBe('"scans";r=10;t=0');
    }
    const statuses = [];
    for (let i = 0; i < 11; i++) statuses.push((await submit(key)).status);
    expect(statuses).toEqual([...Array(10).fill(202), 429]);
  });

  it('refunds exactly under concurrency: malformed and valid requests racing never exceed the limit or lose a slot', async () => {
    const fresh = await seedOrganization('ratelimit-race');
    const key = apiKey(fresh.apiKeys.developer);
    const [typos, valid] = await Promise.all([
      Promise.all(Array.from({ length: 12 }, (_, i) => typo(key, i))),
      Promise.all(Array.from({ length: 8 }, () => submit(key))),
    ]);
    // A malformed request holds a slot only while it is validated: it may meet a full window (429), never pass.
    for (const { response, status } of typos) expect([status, 429]).toContain(response.status);
    const acceptedInRace = valid.filter((r) => r.status === 202).length;
    expect(valid.every((r) => r.status === 202 || r.status === 429)).toBe(true);
    // Every slot a malformed request took came back: the rest of the budget is exactly 10 − accepted.
    const after = [];
    for (let i = 0; i < 11 - acceptedInRace; i++) after.push((await submit(key)).status);
    expect(after).toEqual([...Array(10 - acceptedInRace).fill(202), 429]);
  });
});

describe('failed authentications are limited per source address', () => {
  const bad = { kind: 'x-api-key', value: `hg_ak_${'0'.repeat(48)}` } as const;
  const status = (from: string, credential: Credential) => callFrom(from, stack.baseUrl, 'GET', '/api/scans', credential);

  it('refuses a guessing source with 429 before authenticating, without locking out another source or spending any credential budget', async () => {
    for (let i = 0; i < 20; i++) {
      const response = await status('127.0.0.2', bad);
      expect(response.status).toBe(401);
      expect(response.headers.get('ratelimit-policy')).toBe('"auth-failures";q=20;w=60');
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^"auth-failures";r=${19 - i};t=\\d+$`));
    }
    const limited = await status('127.0.0.2', bad);
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { code: 'RATE_LIMITED', message: expect.any(String) } });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.headers.get('ratelimit')).toMatch(/^"auth-failures";r=0;t=\d+$/);
    // Even a valid credential from that source waits: the check comes before any lookup.
    expect((await status('127.0.0.2', apiKey(org.apiKeys.viewer))).status).toBe(429);

    // Another source is untouched, for valid and invalid credentials alike.
    expect((await status('127.0.0.3', apiKey(org.apiKeys.developer))).status).toBe(200);
    expect((await status('127.0.0.3', bad)).status).toBe(401);
    // No credential at all is not a guess: still 401, not counted.
    expect((await status('127.0.0.2', { kind: 'none' })).status).toBe(401);
  });

  it('holds exactly under concurrency', async () => {
    const responses = await Promise.all(Array.from({ length: 40 }, () => status('127.0.0.4', bad)));
    expect(responses.filter((r) => r.status === 401)).toHaveLength(20);
    expect(responses.filter((r) => r.status === 429)).toHaveLength(20);
  });
});
