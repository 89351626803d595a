// A deployment without a local-sources folder (every AWS deployment) refuses local image
// sources outright: no user can make a scanner read files of the task's own filesystem.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let dev: Credential;

beforeAll(async () => {
  // Another file of the same worker may have set it: this deployment has none.
  delete process.env.HG_LOCAL_SOURCES_DIR;
  stack = await startTestStack();
  dev = apiKey((await seedOrganization('no-local-sources')).apiKeys.developer);
});
afterAll(() => stack?.close());

it.each(['oci:/etc', 'oci:/scratch/layout:app', 'oci-archive:/etc/passwd', 'docker-archive:/proc/self/environ', 'docker-archive:image.tar:app'])(
  'refuses %s with 400 naming the field',
  async (image) => {
    const response = await call(stack.baseUrl, 'POST', '/api/scans', dev, { image });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
    expect(response.body.error.issues).toEqual([{ path: 'image', message: expect.stringContaining('accepted only by a local deployment') }]);
  },
);

it('names the batch entry, and queues nothing of the batch', async () => {
  const response = await call(stack.baseUrl, 'POST', '/api/scans', dev, { scans: [{ image: 'alpine:3.19' }, { image: 'oci:/etc' }] });
  expect(response.status).toBe(400);
  expect(response.body.error.issues.map((i: { path: string }) => i.path)).toEqual(['scans[1].image']);
  // Every submission of this file was refused: nothing was recorded, not even the valid half.
  expect((await call(stack.baseUrl, 'GET', '/api/scans', dev)).body.meta.total).toBe(0);
});
