// API keys, personal access tokens and members managed through the API, and the effect of
// each change on the very next request.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dependencies } from '../../functions/http/dependencies.ts';
import { hashSecret } from '../../functions/domain/identity/secrets.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sessionFor, seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('identity');
  admin = apiKey(org.apiKeys.admin);
});
afterAll(() => stack?.close());

it('shows a new API key once, stores only its hash, lists it without the secret, and revokes it at once', async () => {
  const created = await call(stack.baseUrl, 'POST', '/api/api-keys', admin, { name: 'ci', role: 'developer' });
  expect(created.status).toBe(201);
  const secret: string = created.body.data.key;
  expect(secret).toMatch(/^hg_ak_[0-9a-f]{48}$/);
  expect(created.body.data).toMatchObject({ name: 'ci', role: 'developer', sensor: false, prefix: secret.slice(0, 12) + '…' });

  const stored = await dependencies().identity.findCredentialByHash(hashSecret(secret));
  expect(JSON.stringify(stored)).not.toContain(secret);
  expect(JSON.stringify(stored)).not.toContain(secret.slice(6));

  const key: Credential = { kind: 'bearer', value: secret };
  expect((await call(stack.baseUrl, 'GET', '/api/scans', key)).status).toBe(200);
  const listed = await call(stack.baseUrl, 'GET', '/api/api-keys', admin);
  const entry = listed.body.data.find((k: { id: string }) => k.id === created.body.data.id);
  expect(entry).toMatchObject({ name: 'ci', role: 'developer' });
  expect(entry.lastUsedAt).toEqual(expect.any(String));
  expect(JSON.stringify(listed.body)).not.toContain(secret);
  expect(JSON.stringify(listed.body)).not.toContain('secretHash');

  expect((await call(stack.baseUrl, 'DELETE', `/api/api-keys/${created.body.data.id}`, admin)).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', key)).status).toBe(401);
  expect((await call(stack.baseUrl, 'DELETE', `/api/api-keys/${created.body.data.id}`, admin)).status).toBe(404);
});

it('never issues a key above its creator, and a sensor key only uploads', async () => {
  const ownerKey = await call(stack.baseUrl, 'POST', '/api/api-keys', admin, { name: 'escalate', role: 'owner' });
  expect(ownerKey.status).toBe(403);
  const sensor = await call(stack.baseUrl, 'POST', '/api/api-keys', admin, { name: 'edge', sensor: true });
  expect(sensor.status).toBe(201);
  expect(sensor.body.data.sensor).toBe(true);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', apiKey(sensor.body.data.key))).status).toBe(403);
});

it('expires a key at its expiry time', async () => {
  const soon = new Date(Date.now() + 1500).toISOString();
  const created = await call(stack.baseUrl, 'POST', '/api/api-keys', admin, { name: 'short', role: 'viewer', expiresAt: soon });
  const key: Credential = apiKey(created.body.data.key);
  expect((await call(stack.baseUrl, 'GET', '/api/api-keys', key)).status).toBe(403);
  await new Promise((resolve) => setTimeout(resolve, 1600));
  expect((await call(stack.baseUrl, 'GET', '/api/api-keys', key)).status).toBe(401);
});

it('lets users manage only their own PATs, which act with the user role at request time', async () => {
  const session: Credential = { kind: 'cookie', value: org.sessions.developer };
  const created = await call(stack.baseUrl, 'POST', '/api/personal-access-tokens', session, { name: 'laptop' });
  expect(created.status).toBe(201);
  expect(created.body.data.token).toMatch(/^hg_pat_[0-9a-f]{48}$/);
  const token: Credential = { kind: 'bearer', value: created.body.data.token };

  const mine = await call(stack.baseUrl, 'GET', '/api/personal-access-tokens', token);
  expect(mine.body.data.map((t: { name: string }) => t.name).sort()).toEqual(['laptop', 'seed']);
  const theirs = await call(stack.baseUrl, 'GET', '/api/personal-access-tokens', { kind: 'cookie', value: org.sessions.viewer });
  expect(theirs.body.data.map((t: { id: string }) => t.id)).not.toContain(created.body.data.id);
  expect((await call(stack.baseUrl, 'DELETE', `/api/personal-access-tokens/${created.body.data.id}`, { kind: 'cookie', value: org.sessions.viewer })).status).toBe(404);

  // Promote, then demote: the PAT follows at once.
  expect((await call(stack.baseUrl, 'GET', '/api/members', token)).status).toBe(403);
  expect((await call(stack.baseUrl, 'PATCH', `/api/members/${org.userIds.developer}`, admin, { role: 'admin' })).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', '/api/members', token)).status).toBe(200);
  expect((await call(stack.baseUrl, 'PATCH', `/api/members/${org.userIds.developer}`, admin, { role: 'viewer' })).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', token)).status).toBe(403);

  expect((await call(stack.baseUrl, 'DELETE', `/api/personal-access-tokens/${created.body.data.id}`, session)).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', '/api/scans/scn-any/status', token)).status).toBe(401);
});

it('adds a member by email, and removing them stops their PATs and sessions at once, for good', async () => {
  const added = await call(stack.baseUrl, 'POST', '/api/members', admin, { email: 'Dana@Identity.test', role: 'developer' });
  expect(added.status).toBe(201);
  expect(added.body.data).toMatchObject({ email: 'dana@identity.test', role: 'developer' });
  const userId = added.body.data.userId;
  expect((await call(stack.baseUrl, 'POST', '/api/members', admin, { email: 'dana@identity.test', role: 'viewer' })).status).toBe(409);

  const session: Credential = { kind: 'cookie', value: sessionFor(userId, org.orgId) };
  const pat: Credential = { kind: 'bearer', value: (await call(stack.baseUrl, 'POST', '/api/personal-access-tokens', session, { name: 'dana' })).body.data.token };
  expect((await call(stack.baseUrl, 'GET', '/api/scans', pat)).status).toBe(200);

  expect((await call(stack.baseUrl, 'DELETE', `/api/members/${userId}`, admin)).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', pat)).status).toBe(401);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', session)).status).toBe(401);

  // Re-adding the user does not revive credentials issued before.
  await new Promise((resolve) => setTimeout(resolve, 1100));
  expect((await call(stack.baseUrl, 'POST', '/api/members', admin, { email: 'dana@identity.test', role: 'developer' })).status).toBe(201);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', pat)).status).toBe(401);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', session)).status).toBe(401);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', { kind: 'cookie', value: sessionFor(userId, org.orgId) })).status).toBe(200);
});

it('never lets an admin grant or touch a role above admin', async () => {
  expect((await call(stack.baseUrl, 'POST', '/api/members', admin, { email: 'boss@identity.test', role: 'owner' })).status).toBe(403);
  expect((await call(stack.baseUrl, 'PATCH', `/api/members/${org.userIds.viewer}`, admin, { role: 'owner' })).status).toBe(403);
});

it('limits credential creation to 10 per minute per caller', async () => {
  const session: Credential = { kind: 'cookie', value: org.sessions.admin };
  const statuses = [];
  for (let i = 0; i < 11; i++) statuses.push((await call(stack.baseUrl, 'POST', '/api/personal-access-tokens', session, { name: `t${i}` })).status);
  expect(statuses.slice(0, 10).every((s) => s === 201)).toBe(true);
  expect(statuses[10]).toBe(429);
});
