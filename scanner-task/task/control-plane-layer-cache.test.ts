// The task's layer cache end to end: the real client against the local stack's handlers and
// fauxqs S3, with a scan-scoped key minted as the dispatcher mints it.
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { apiKey, call } from '../../test/support/http.ts';
import { seedOrganization, type SeededOrg } from '../../test/support/seed.ts';
import { startTestStack, type TestStack } from '../../test/support/test-stack.ts';
import { ControlPlaneClient } from './control-plane-client.ts';
import { ControlPlaneLayerCache } from './control-plane-layer-cache.ts';

let stack: TestStack;
let org: SeededOrg;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('task-cache');
});
afterAll(() => stack?.close());

async function taskCache(): Promise<ControlPlaneLayerCache> {
  const scanId = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(org.apiKeys.admin), { image: 'ghcr.io/acme/worker:3.1' })).body.scanId as string;
  const deps = apiDependencies();
  const deadline = new Date(Date.now() + 600_000).toISOString();
  await deps.scans.transitionScan(org.orgId, scanId, ['QUEUED'], { status: 'IN_PROGRESS', deadline, updatedAt: new Date().toISOString() });
  return new ControlPlaneLayerCache(
    new ControlPlaneClient(stack.baseUrl, await mintScanCredential(org.orgId, scanId, deadline, deps)),
    scanId,
    () => undefined,
  );
}
const newKey = () => createHash('sha256').update(randomBytes(16)).digest('hex');

describe('ControlPlaneLayerCache', () => {
  it('returns only stored keys; put then getMany round-trips, also from the next scan', async () => {
    const cache = await taskCache();
    const [stored, absent, unasked] = [newKey(), newKey(), newKey()];
    expect(await cache.getMany([stored, absent])).toEqual(new Map());
    const bytes = randomBytes(50_000);
    await cache.put(stored, bytes);
    // A key getMany was not asked about: the URL is asked for first.
    await cache.put(unasked, Buffer.from('second'));
    expect(await cache.getMany([stored, absent, unasked])).toEqual(
      new Map([
        [stored, bytes],
        [unasked, Buffer.from('second')],
      ]),
    );
    expect(await (await taskCache()).getMany([stored])).toEqual(new Map([[stored, bytes]]));
  });

  it('is an empty cache, with a warning, when the control plane is unreachable; put fails', async () => {
    const warnings: string[] = [];
    const cache = new ControlPlaneLayerCache(new ControlPlaneClient('http://127.0.0.1:9/', 'hg_ak_nothing'), 'scn-unreachable01', (message) =>
      warnings.push(message),
    );
    expect(await cache.getMany([newKey()])).toEqual(new Map());
    expect(warnings).toHaveLength(1);
    await expect(cache.put(newKey(), Buffer.from('x'))).rejects.toThrow();
  });

  it('is an empty cache when the control plane refuses the key', async () => {
    const cache = new ControlPlaneLayerCache(new ControlPlaneClient(stack.baseUrl, org.apiKeys.viewer), 'scn-notmyscan001', () => undefined);
    expect(await cache.getMany([newKey()])).toEqual(new Map());
  });
});
