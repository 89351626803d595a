// Private-registry settings: admin only, per organisation, the password sealed at rest and never
// returned, logged or audited; a scanner task reads the credentials of its own running scan only.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamodb/document-client.ts';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { logger } from '../../shared/logging/logger.ts';

let stack: TestStack;
let acme: SeededOrg;
let globex: SeededOrg;
let admin: Credential;
const PASSWORD = 'pa55-w0rd-that-must-never-leak';
const HOST = 'registry.acme.example:5000';

/** Every response body of this file, to check that no password ever left the API. */
const bodies: string[] = [];
const api = async (...args: Parameters<typeof call>) => {
  const response = await call(...args);
  bodies.push(JSON.stringify(response.body));
  return response;
};

/** What the handlers (running in this process) logged: the password must never be in it. */
const logged: string[] = [];
const stdoutWrite = process.stdout.write.bind(process.stdout);

beforeAll(async () => {
  logger.setLogLevel('INFO');
  process.stdout.write = (chunk: string | Uint8Array, ...rest: never[]) => {
    logged.push(String(chunk));
    return stdoutWrite(chunk, ...rest);
  };
  stack = await startTestStack();
  acme = await seedOrganization('registries-acme');
  globex = await seedOrganization('registries-globex');
  admin = apiKey(acme.apiKeys.admin);
});
afterAll(async () => {
  logger.setLogLevel('SILENT');
  process.stdout.write = stdoutWrite;
  await stack?.close();
});

describe('managing registry settings', () => {
  it('stores credentials and shows them without the password', async () => {
    const created = await api(stack.baseUrl, 'PUT', `/api/registries/${HOST.toUpperCase()}`, admin, { username: 'ci-bot', password: PASSWORD });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({
      host: HOST,
      username: 'ci-bot',
      hasPassword: true,
      allowPlainHttp: false,
      tokenRealms: [],
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
      updatedBy: expect.any(String),
    });
    const replaced = await api(
      stack.baseUrl,
      'PUT',
      `/api/registries/${HOST}`,
      { kind: 'cookie', value: acme.sessions.admin },
      { username: 'ci-bot', password: PASSWORD, allowPlainHttp: true },
    );
    expect(replaced.status).toBe(200);
    expect(replaced.body.data).toMatchObject({ allowPlainHttp: true, createdAt: created.body.data.createdAt, updatedBy: acme.userIds.admin });
    const plainOnly = await api(stack.baseUrl, 'PUT', '/api/registries/registry.internal.example:5000', admin, { allowPlainHttp: true });
    expect(plainOnly.body.data).toMatchObject({ username: null, hasPassword: false, allowPlainHttp: true });

    const list = await api(stack.baseUrl, 'GET', '/api/registries', admin);
    expect(list.body.data.map((r: { host: string }) => r.host).sort()).toEqual([HOST, 'registry.internal.example:5000']);
    expect((await api(stack.baseUrl, 'GET', `/api/registries/${HOST}`, admin)).body.data).toEqual(replaced.body.data);
  });

  it('keeps the token services trusted with the credentials, host names only', async () => {
    const host = 'registry.realms.example';
    const put = await api(stack.baseUrl, 'PUT', `/api/registries/${host}`, admin, {
      username: 'ci-bot',
      password: PASSWORD,
      tokenRealms: ['auth.realms.example', 'auth.realms.example'],
    });
    expect(put.body.data.tokenRealms).toEqual(['auth.realms.example']);
    for (const tokenRealms of [['https://auth.realms.example/token'], ['169.254.169.254'], Array.from({ length: 9 }, (_, i) => `a${i}.example`)]) {
      const refused = await api(stack.baseUrl, 'PUT', `/api/registries/${host}`, admin, { username: 'ci-bot', password: PASSWORD, tokenRealms });
      expect(refused.status).toBe(400);
      expect(refused.body.error.issues[0].path).toMatch(/^tokenRealms/);
    }
    expect((await api(stack.baseUrl, 'DELETE', `/api/registries/${host}`, admin)).status).toBe(200);
  });

  it('keeps the password sealed in DynamoDB, bound to its organisation and host', async () => {
    const { Item } = await documentClient().send(
      new GetCommand({ TableName: stack.resources.TABLE_NAME, Key: { pk: `ORG#${acme.orgId}`, sk: `REGISTRY#${HOST}` } }),
    );
    expect(Item).toBeDefined();
    const stored = JSON.stringify(Item);
    expect(stored).not.toContain(PASSWORD);
    expect(stored).not.toContain(Buffer.from(PASSWORD).toString('base64'));
    expect(Item!.sealedPassword).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
    // Sealed for (acme, HOST): it does not open for another organisation or registry.
    const { sealer } = apiDependencies();
    await expect(sealer.open(Item!.sealedPassword, `registry-password\0${acme.orgId}\0${HOST}`)).resolves.toBe(PASSWORD);
    await expect(sealer.open(Item!.sealedPassword, `registry-password\0${globex.orgId}\0${HOST}`)).rejects.toThrow();
    await expect(sealer.open(Item!.sealedPassword, `registry-password\0${acme.orgId}\0ghcr.io`)).rejects.toThrow();
  });

  it('audits changes without the password', async () => {
    const audit = await api(stack.baseUrl, 'GET', '/api/audit-logs', admin);
    const entries = audit.body.data.filter((e: { action: string }) => e.action.startsWith('registry.'));
    expect(entries.length).toBeGreaterThanOrEqual(3);
  });

  it('is admin only: viewers, developers, sensors and no credential are refused', async () => {
    for (const credential of [
      apiKey(acme.apiKeys.viewer),
      apiKey(acme.apiKeys.developer),
      { kind: 'bearer', value: acme.pats.developer } as Credential,
      apiKey(acme.sensorKey),
    ]) {
      for (const [method, path, body] of [
        ['GET', '/api/registries'],
        ['GET', `/api/registries/${HOST}`],
        ['PUT', `/api/registries/${HOST}`, { allowPlainHttp: true }],
        ['DELETE', `/api/registries/${HOST}`],
      ] as const) {
        const response = await api(stack.baseUrl, method, path, credential, body);
        expect(response.status, `${method} ${path}`).toBe(403);
      }
    }
    expect((await api(stack.baseUrl, 'GET', '/api/registries', { kind: 'none' })).status).toBe(401);
    expect((await api(stack.baseUrl, 'GET', `/api/registries/${HOST}`, admin)).body.data.username).toBe('ci-bot');
  });

  it('keeps organisations apart', async () => {
    const other = apiKey(globex.apiKeys.admin);
    expect((await api(stack.baseUrl, 'GET', '/api/registries', other)).body.data).toEqual([]);
    expect((await api(stack.baseUrl, 'GET', `/api/registries/${HOST}`, other)).status).toBe(404);
    expect((await api(stack.baseUrl, 'DELETE', `/api/registries/${HOST}`, other)).status).toBe(404);
    // Globex may configure the same host for itself without touching Acme's.
    expect((await api(stack.baseUrl, 'PUT', `/api/registries/${HOST}`, other, { username: 'globex', password: 'other' })).status).toBe(201);
    expect((await api(stack.baseUrl, 'GET', `/api/registries/${HOST}`, admin)).body.data.username).toBe('ci-bot');
  });

  it.each([
    ['a username without a password', { username: 'ci' }, 'password'],
    ['a password without a username', { password: 'x' }, 'password'],
    ['nothing to store', {}, '(body)'],
    ['an unknown field', { username: 'ci', password: 'x', token: 'y' }, '(body)'],
    ['a username with a colon', { username: 'a:b', password: 'x' }, 'username'],
    ['a non-boolean allowPlainHttp', { allowPlainHttp: 'yes' }, 'allowPlainHttp'],
  ])('rejects %s with 400 naming the field', async (_label, body, path) => {
    const response = await api(stack.baseUrl, 'PUT', '/api/registries/ghcr.io', admin, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.issues.map((i: { path: string }) => i.path)).toContain(path);
  });

  it('rejects a malformed host with 400 naming it, and answers 404 for an unknown one', async () => {
    const bad = await api(stack.baseUrl, 'PUT', '/api/registries/not_a%20host', admin, { allowPlainHttp: true });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues).toEqual([{ path: 'host', message: expect.any(String) }]);
    expect((await api(stack.baseUrl, 'GET', '/api/registries/unknown.example', admin)).status).toBe(404);
    expect((await api(stack.baseUrl, 'PUT', '/api/registries/ghcr.io', admin, 'not json')).status).toBe(400);
  });

  it('deletes settings', async () => {
    expect((await api(stack.baseUrl, 'DELETE', '/api/registries/registry.internal.example:5000', admin)).body).toEqual({
      data: { host: 'registry.internal.example:5000', deleted: true },
    });
    expect((await api(stack.baseUrl, 'GET', '/api/registries/registry.internal.example:5000', admin)).status).toBe(404);
  });
});

describe("a scanner task's credentials", () => {
  it('are given to the running scan of that registry, with its own scan-scoped key only', async () => {
    const deps = apiDependencies();
    const scanId = (await api(stack.baseUrl, 'POST', '/api/scans', admin, { image: `${HOST}/team/app:2.0` })).body.scanId;
    const otherScan = (await api(stack.baseUrl, 'POST', '/api/scans', admin, { image: `${HOST}/team/app:3.0` })).body.scanId;
    const deadline = new Date(Date.now() + 60_000).toISOString();
    const taskKey = apiKey(await mintScanCredential(acme.orgId, scanId, deadline, deps));
    const path = `/api/scans/${scanId}/registry-credentials`;

    // Not while QUEUED: only a running scan pulls.
    expect((await api(stack.baseUrl, 'GET', path, taskKey)).status).toBe(404);
    await deps.scans.transitionScan(acme.orgId, scanId, ['QUEUED'], { status: 'IN_PROGRESS', updatedAt: new Date().toISOString(), deadline });
    const granted = await call(stack.baseUrl, 'GET', path, taskKey);
    expect(granted.status).toBe(200);
    expect(granted.body).toEqual({ data: { host: HOST, username: 'ci-bot', password: PASSWORD, tokenRealms: [] } });

    // Another scan's key, a sensor key, a user's key: refused.
    const otherKey = apiKey(await mintScanCredential(acme.orgId, otherScan, deadline, deps));
    expect((await api(stack.baseUrl, 'GET', path, otherKey)).status).toBe(403);
    expect((await api(stack.baseUrl, 'GET', path, apiKey(acme.sensorKey))).status).toBe(403);
    expect((await api(stack.baseUrl, 'GET', path, admin)).status).toBe(403);
    // Another organisation's scan-scoped key for the same scan id finds nothing of Acme's.
    expect((await api(stack.baseUrl, 'GET', path, apiKey(await mintScanCredential(globex.orgId, scanId, deadline, deps)))).status).toBe(404);

    await deps.scans.transitionScan(acme.orgId, scanId, ['IN_PROGRESS'], { status: 'CANCELLED', updatedAt: new Date().toISOString() });
    expect((await api(stack.baseUrl, 'GET', path, taskKey)).status).toBe(404);
  });
});

it('never returned a password in any response but the running task its own, nor logged it', () => {
  expect(bodies.length).toBeGreaterThan(40);
  for (const body of bodies) expect(body).not.toContain(PASSWORD);
  expect(logged.some((line) => line.includes('/api/registries/{host}'))).toBe(true);
  for (const line of logged) expect(line).not.toContain(PASSWORD);
});
