// POST /api/scans/{id}/layer-cache: pre-signed GET and PUT URLs of the organisation's layer-cache
// entries, for a scanner task's own scan (or a sensor key), on the real handlers and fauxqs S3.
// Each organisation has its own prefix: another organisation's task asking for the same key
// gets its own URL, under which A's entry does not exist.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { MAX_LAYER_CACHE_KEYS_PER_REQUEST } from '#shared/layer-cache/layer-cache-contract.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let acme: SeededOrg;
let globex: SeededOrg;

beforeAll(async () => {
  stack = await startTestStack();
  acme = await seedOrganization('cache-acme');
  globex = await seedOrganization('cache-globex');
});
afterAll(() => stack?.close());

/** A queued scan moved to IN_PROGRESS as the dispatcher does, with its task's credential. */
async function runningScan(org: SeededOrg): Promise<{ scanId: string; task: Credential }> {
  const scanId = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(org.apiKeys.admin), { image: 'ghcr.io/acme/worker:3.1' })).body.scanId as string;
  const deps = apiDependencies();
  const deadline = new Date(Date.now() + 600_000).toISOString();
  await deps.scans.transitionScan(org.orgId, scanId, ['QUEUED'], { status: 'IN_PROGRESS', deadline, updatedAt: new Date().toISOString() });
  return { scanId, task: apiKey(await mintScanCredential(org.orgId, scanId, deadline, deps)) };
}

const newKey = () => createHash('sha256').update(randomBytes(16)).digest('hex');
const urls = (credential: Credential, scanId: string, body: unknown) => call(stack.baseUrl, 'POST', `/api/scans/${scanId}/layer-cache`, credential, body);
/** What a GET through a pre-signed URL finds: the bytes, or the status S3 answered instead. */
async function read(url: string): Promise<Buffer | number> {
  const response = await fetch(url);
  return response.ok ? Buffer.from(await response.arrayBuffer()) : (await response.body?.cancel(), response.status);
}
const objectPath = (url: string) => decodeURIComponent(new URL(url).pathname);

describe("a scanner task's layer-cache URLs", () => {
  it('come for each distinct key, in the order asked, under the organisation’s prefix, for 30 minutes', async () => {
    const { scanId, task } = await runningScan(acme);
    const [a, b] = [newKey(), newKey()];
    const before = Date.now();
    const response = await urls(task, scanId, { keys: [a, b, a] });
    expect(response.status).toBe(200);
    const { entries, expiresAt } = response.body.data;
    expect(entries.map((entry: { key: string }) => entry.key)).toEqual([a, b]);
    for (const { key, get, put } of entries) {
      for (const url of [get, put]) {
        expect(objectPath(url)).toMatch(new RegExp(`/layer-cache/${acme.orgId}/${key}$`));
        expect(url).toContain('X-Amz-Signature=');
        expect(url).toContain('X-Amz-Expires=1800');
      }
    }
    expect(Date.parse(expiresAt) - before).toBeGreaterThanOrEqual(30 * 60_000 - 1000);
    expect(Date.parse(expiresAt) - before).toBeLessThanOrEqual(30 * 60_000 + 5000);
  });

  it('store an entry through the PUT URL that a later request’s GET URL reads back; absent entries answer 403 or 404', async () => {
    const { scanId, task } = await runningScan(acme);
    const key = newKey();
    const bytes = randomBytes(70_000);
    const first = (await urls(task, scanId, { keys: [key] })).body.data.entries[0];
    expect([403, 404]).toContain(await read(first.get));
    expect((await fetch(first.put, { method: 'PUT', body: bytes })).status).toBe(200);

    // Another scan of the organisation, with its own task, finds it.
    const next = await runningScan(acme);
    const again = (await urls(next.task, next.scanId, { keys: [key] })).body.data.entries[0];
    expect(await read(again.get)).toEqual(bytes);
  });

  it("are another organisation's own for the same key: B's task does not see A's entry", async () => {
    const { scanId, task } = await runningScan(acme);
    const key = newKey();
    const mine = (await urls(task, scanId, { keys: [key] })).body.data.entries[0];
    expect((await fetch(mine.put, { method: 'PUT', body: Buffer.from('acme entry') })).status).toBe(200);

    const theirs = await runningScan(globex);
    const response = await urls(theirs.task, theirs.scanId, { keys: [key] });
    expect(response.status).toBe(200);
    const foreign = response.body.data.entries[0];
    expect(objectPath(foreign.get)).toMatch(new RegExp(`/layer-cache/${globex.orgId}/${key}$`));
    expect([403, 404]).toContain(await read(foreign.get));
    expect(await read(mine.get)).toEqual(Buffer.from('acme entry'));
  });

  it("are refused to another scan's task (403) and to members' keys of any role (403)", async () => {
    const { scanId } = await runningScan(acme);
    const other = await runningScan(acme);
    const body = { keys: [newKey()] };
    const foreignTask = await urls(other.task, scanId, body);
    expect({ status: foreignTask.status, code: foreignTask.body.error.code }).toEqual({ status: 403, code: 'FORBIDDEN' });
    for (const role of ['viewer', 'developer', 'admin'] as const) {
      const response = await urls(apiKey(acme.apiKeys[role]), scanId, body);
      expect([role, response.status, response.body.error.code]).toEqual([role, 403, 'FORBIDDEN']);
    }
    expect((await urls({ kind: 'none' }, scanId, body)).status).toBe(401);
    // Another organisation's task key for a scan id of this one: its own organisation has no such scan.
    const globexTask = await runningScan(globex);
    expect((await urls(globexTask.task, scanId, body)).status).toBe(403);
  });

  it("are refused once the task's scan is deleted (403) or cancelled (409)", async () => {
    const admin = apiKey(acme.apiKeys.admin);
    const deleted = await runningScan(acme);
    expect((await call(stack.baseUrl, 'DELETE', `/api/scans/${deleted.scanId}`, admin)).status).toBe(200);
    expect((await urls(deleted.task, deleted.scanId, { keys: [newKey()] })).status).toBe(403);
    const cancelled = await runningScan(acme);
    expect((await call(stack.baseUrl, 'POST', `/api/scans/${cancelled.scanId}/cancel`, admin)).status).toBe(200);
    expect((await urls(cancelled.task, cancelled.scanId, { keys: [newKey()] })).status).toBe(409);
  });

  it('are given to a sensor key of the organisation, under the same prefix', async () => {
    const key = newKey();
    const response = await urls(apiKey(acme.sensorKey), 'scn-sensorcache01', { keys: [key] });
    expect(response.status).toBe(200);
    expect(objectPath(response.body.data.entries[0].get)).toMatch(new RegExp(`/layer-cache/${acme.orgId}/${key}$`));
  });
});

describe('a layer-cache request with bad input', () => {
  it('is 400 naming each malformed key, and for no keys, more than the maximum, or other fields', async () => {
    const { scanId, task } = await runningScan(acme);
    const malformed = await urls(task, scanId, { keys: [newKey(), newKey().toUpperCase(), 'abc', `${newKey()}/..`, 42] });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_ERROR');
    expect(malformed.body.error.issues.map((issue: { path: string }) => issue.path)).toEqual(['keys[1]', 'keys[2]', 'keys[3]', 'keys[4]']);

    const tooMany = Array.from({ length: MAX_LAYER_CACHE_KEYS_PER_REQUEST + 1 }, newKey);
    for (const body of [{ keys: tooMany }, { keys: [] }, {}, { keys: [newKey()], scanner: 'trivy' }, { keys: newKey() }]) {
      const response = await urls(task, scanId, body);
      expect([JSON.stringify(body).slice(0, 60), response.status, response.body.error.code]).toEqual([
        JSON.stringify(body).slice(0, 60),
        400,
        'VALIDATION_ERROR',
      ]);
    }
    expect((await urls(task, scanId, { keys: tooMany.slice(0, MAX_LAYER_CACHE_KEYS_PER_REQUEST) })).status).toBe(200);
    // A path that is no scan id is no scan (404), as on every scan route.
    expect((await urls(task, 'not-a-scan', { keys: [newKey()] })).status).toBe(404);
  });
});
