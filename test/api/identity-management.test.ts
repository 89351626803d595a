// API keys, personal access tokens and members managed through the API, and the effect of
// each change on the very next request.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDependencies } from '../../functions/composition/api.ts';
import { hashSecret } from '../../functions/domain/identity/secrets.ts';
import { newId } from '../../functions/domain/ids.ts';
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

  const stored = await apiDependencies().identity.findCredentialByHash(hashSecret(secret));
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

/** Waits until the wall clock is past `epochMs`: expiry, and "issued before", are decided by it. */
async function clockPast(epochMs: number): Promise<void> {
  while (Date.now() <= epochMs) await new Promise((resolve) => setTimeout(resolve, epochMs + 1 - Date.now()));
}

it('expires a key at its expiry time', async () => {
  // Room for the create and the first call on a loaded machine, which must come before it.
  const soon = Date.now() + 3000;
  const created = await call(stack.baseUrl, 'POST', '/api/api-keys', admin, { name: 'short', role: 'viewer', expiresAt: new Date(soon).toISOString() });
  const key: Credential = apiKey(created.body.data.key);
  expect((await call(stack.baseUrl, 'GET', '/api/api-keys', key)).status).toBe(403);
  await clockPast(soon);
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
  expect(
    (await call(stack.baseUrl, 'DELETE', `/api/personal-access-tokens/${created.body.data.id}`, { kind: 'cookie', value: org.sessions.viewer })).status,
  ).toBe(404);

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
  const pat: Credential = {
    kind: 'bearer',
    value: (await call(stack.baseUrl, 'POST', '/api/personal-access-tokens', session, { name: 'dana' })).body.data.token,
  };
  expect((await call(stack.baseUrl, 'GET', '/api/scans', pat)).status).toBe(200);

  expect((await call(stack.baseUrl, 'DELETE', `/api/members/${userId}`, admin)).status).toBe(200);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', pat)).status).toBe(401);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', session)).status).toBe(401);

  // Re-adding the user does not revive credentials issued before. A session's iat counts whole
  // seconds, so the re-adding must fall in a later second than the session's to be "after" it.
  const { iat } = JSON.parse(Buffer.from(session.value.split('.')[1]!, 'base64url').toString()) as { iat: number };
  await clockPast(iat * 1000 + 999);
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

describe('no one acts on a credential or member that outranks them', () => {
  const owner = async () => {
    // An owner is made through the store (no API caller outranks admin in a seeded org).
    const deps = apiDependencies();
    const at = new Date(Date.now() - 60_000).toISOString();
    const user = await deps.identity.ensureUser({ id: newId('usr'), email: `owner-${randomBytes(4).toString('hex')}@identity.test`, createdAt: at });
    await deps.identity.addMembership({ orgId: org.orgId, userId: user.id, email: user.email, role: 'owner', addedAt: at, updatedAt: at });
    return { userId: user.id, session: { kind: 'cookie', value: sessionFor(user.id, org.orgId) } as Credential };
  };

  it('an admin cannot revoke an owner key (an owner can), nor an owner sensor key', async () => {
    const boss = await owner();
    const ownerKey = await call(stack.baseUrl, 'POST', '/api/api-keys', boss.session, { name: 'owner-ci', role: 'owner' });
    expect(ownerKey.status).toBe(201);
    const ownerSensor = await call(stack.baseUrl, 'POST', '/api/api-keys', boss.session, { name: 'owner-edge', role: 'owner', sensor: true });
    expect(ownerSensor.status).toBe(201);
    for (const created of [ownerKey, ownerSensor]) {
      for (const adminCredential of [
        admin,
        { kind: 'bearer', value: org.pats.admin } as Credential,
        { kind: 'cookie', value: org.sessions.admin } as Credential,
      ]) {
        const refused = await call(stack.baseUrl, 'DELETE', `/api/api-keys/${created.body.data.id}`, adminCredential);
        expect(refused.status).toBe(403);
        expect(refused.body.error.code).toBe('FORBIDDEN');
      }
    }
    // Still valid after the refusals; the owner revokes it.
    expect((await call(stack.baseUrl, 'GET', '/api/members', apiKey(ownerKey.body.data.key))).status).toBe(200);
    expect((await call(stack.baseUrl, 'DELETE', `/api/api-keys/${ownerKey.body.data.id}`, boss.session)).status).toBe(200);
    expect((await call(stack.baseUrl, 'GET', '/api/members', apiKey(ownerKey.body.data.key))).status).toBe(401);
    // An admin still revokes an admin key (a role at least the key's).
    const adminKey = await call(stack.baseUrl, 'POST', '/api/api-keys', admin, { name: 'peer', role: 'admin' });
    expect((await call(stack.baseUrl, 'DELETE', `/api/api-keys/${adminKey.body.data.id}`, { kind: 'cookie', value: org.sessions.admin })).status).toBe(200);
  });

  it('an admin cannot demote or remove an owner, and the last owner cannot step down', async () => {
    const boss = await owner();
    expect((await call(stack.baseUrl, 'PATCH', `/api/members/${boss.userId}`, admin, { role: 'viewer' })).status).toBe(403);
    expect((await call(stack.baseUrl, 'DELETE', `/api/members/${boss.userId}`, admin)).status).toBe(403);
    // Other owners may exist from the test above: demote them so that `boss` is the last.
    const owners = (await call(stack.baseUrl, 'GET', '/api/members', boss.session)).body.data.filter(
      (m: { role: string; userId: string }) => m.role === 'owner' && m.userId !== boss.userId,
    );
    for (const other of owners) expect((await call(stack.baseUrl, 'PATCH', `/api/members/${other.userId}`, boss.session, { role: 'admin' })).status).toBe(200);

    const demoted = await call(stack.baseUrl, 'PATCH', `/api/members/${boss.userId}`, boss.session, { role: 'admin' });
    expect(demoted.status).toBe(409);
    expect(demoted.body.error.code).toBe('CONFLICT');
    expect((await call(stack.baseUrl, 'DELETE', `/api/members/${boss.userId}`, boss.session)).status).toBe(409);
    expect((await call(stack.baseUrl, 'GET', '/api/members', boss.session)).status).toBe(200);
  });

  it('two owners demoting each other at once leave one owner', async () => {
    const [first, second] = [await owner(), await owner()];
    const owners = (await call(stack.baseUrl, 'GET', '/api/members', first.session)).body.data.filter(
      (m: { role: string; userId: string }) => m.role === 'owner' && ![first.userId, second.userId].includes(m.userId),
    );
    for (const other of owners) await call(stack.baseUrl, 'PATCH', `/api/members/${other.userId}`, first.session, { role: 'admin' });

    const [a, b] = await Promise.all([
      call(stack.baseUrl, 'PATCH', `/api/members/${second.userId}`, first.session, { role: 'admin' }),
      call(stack.baseUrl, 'DELETE', `/api/members/${first.userId}`, second.session),
    ]);
    // Whichever commits first wins. The other is refused either way: 409 if it
    // was authorised before that commit and then finds the last owner, 403 if it
    // was authorised after it (its caller is no longer an owner).
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    expect(winner.status).toBe(200);
    expect([403, 409]).toContain(loser.status);
    const members = await call(stack.baseUrl, 'GET', '/api/members', admin);
    expect(members.body.data.filter((m: { role: string }) => m.role === 'owner')).toHaveLength(1);
  });
});
