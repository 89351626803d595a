// Every provider through the endpoint: its push fixture, with the secret presented its way, starts
// a scan (recorded with its trigger); the same with a wrong or missing secret is 401 and starts
// nothing. The provider parsers' own tests cover the payloads in detail.
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { delivered, fixtureBody, PUSH_FIXTURES } from '../../functions/domain/integrations/providers/fixtures/requests.ts';
import { PROVIDER_KINDS, type InboundHookRequest } from '../../functions/domain/integrations/providers/provider.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('providerhooks');
  admin = apiKey(org.apiKeys.admin);
});
afterAll(() => stack?.close());

const send = (path: string, request: InboundHookRequest) =>
  fetch(`${stack.baseUrl}${path}?${new URLSearchParams(request.query)}`, { method: 'POST', headers: request.headers, body: new Uint8Array(request.body) });
const pushScanIds = async (integrationId: string): Promise<string[]> => {
  const { body } = await call(stack.baseUrl, 'GET', '/api/scans?trigger=registry-push&limit=200', admin);
  const ids: string[] = body.data.map((row: { id: string }) => row.id);
  const details = await Promise.all(ids.map(async (id) => (await call(stack.baseUrl, 'GET', `/api/scans/${id}`, admin)).body.data));
  return details.filter((scan) => scan.trigger.integrationId === integrationId).map((scan) => scan.id);
};

describe.each(PROVIDER_KINDS)('%s', (provider) => {
  it('starts a scan for its push fixture with the right secret, and nothing with a wrong or missing one', async () => {
    const created = await call(stack.baseUrl, 'POST', '/api/integrations', admin, { provider, name: `${provider} registry` });
    expect(created.status).toBe(201);
    const { id, secret, hookUrl } = created.body.data;
    const body = fixtureBody(provider, PUSH_FIXTURES[provider]);

    for (const bad of [delivered(provider, body, `${secret}x`), delivered(provider, body, '')]) {
      const refused = await send(hookUrl, bad);
      expect(refused.status).toBe(401);
      expect((await refused.json()).error.code).toBe('UNAUTHORIZED');
    }
    expect(await pushScanIds(id)).toEqual([]);

    const accepted = await send(hookUrl, delivered(provider, body, secret));
    expect(accepted.status).toBe(202);
    const { data } = await accepted.json();
    expect(data.status).toBe('accepted');
    const started = data.pushes.filter((p: { outcome: string }) => p.outcome === 'scan-started').map((p: { scanId: string }) => p.scanId);
    expect(started.length).toBeGreaterThan(0);
    expect((await pushScanIds(id)).sort()).toEqual(started.sort());
    const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${started[0]}`, admin)).body.data;
    expect(scan).toMatchObject({ status: 'QUEUED', trigger: { kind: 'registry-push', integrationId: id, provider } });
  });
});
