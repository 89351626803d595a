// What a caller learns from a refused credential: a key sent in Authorization without its
// `Bearer ` scheme (or under another scheme) is told what to send instead, not just "invalid".
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('auth-answers');
});
afterAll(() => stack?.close());

it('answers an Authorization header without Bearer with 401 saying to send Bearer or X-API-Key', async () => {
  const key = org.apiKeys.developer;
  for (const authorization of [key, `Basic ${Buffer.from(`x:${key}`).toString('base64')}`, 'Bearer']) {
    const refused = await call(stack.baseUrl, 'GET', '/api/scans', { kind: 'none' }, undefined, { Authorization: authorization });
    expect(refused.status, authorization).toBe(401);
    expect(refused.body.error.code).toBe('UNAUTHORIZED');
    expect(refused.body.error.message).toMatch(/Authorization: Bearer hg_ak_…/);
    expect(refused.body.error.message).toMatch(/X-API-Key/);
    // The answer never echoes the credential it refused.
    expect(JSON.stringify(refused.body)).not.toContain(key.slice('hg_ak_'.length));
  }
  // The same key, sent as the message says, is accepted.
  expect((await call(stack.baseUrl, 'GET', '/api/scans', { kind: 'bearer', value: key })).status).toBe(200);
});
