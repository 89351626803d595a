// Local image sources in a local deployment (HG_LOCAL_SOURCES_DIR, as `npm start` sets it):
// an OCI layout and an OCI archive inside the folder scan to COMPLETE through the real pipeline;
// anything outside it (parent paths, absolute paths, symlinks out) is refused with 400.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { entriesFromDir, tarOf } from '../../scanner-task/testing/build-image.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { EXPECTED_PACKAGES, waitForStatus, writeAppImage } from './pipeline-support.ts';

let stack: TestStack;
let dev: Credential;
let images: string;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'hg-local-sources-'));
  images = join(base, 'images');
  mkdirSync(join(images, 'app'), { recursive: true });
  mkdirSync(join(base, 'outside'));
  await writeAppImage(join(images, 'app'));
  writeFileSync(join(images, 'app.tar'), await tarOf(entriesFromDir(join(images, 'app'))));
  await writeAppImage(join(base, 'outside'));
  symlinkSync(join(base, 'outside'), join(images, 'escape'));
  stack = await startTestStack({ pipeline: true, env: { HG_LOCAL_SOURCES_DIR: images, HARBORGUARD_DB: '/nonexistent/advisories.db' } });
  dev = apiKey((await seedOrganization('local-sources')).apiKeys.developer);
}, 120_000);
afterAll(async () => {
  await stack?.close();
  delete process.env.HG_LOCAL_SOURCES_DIR;
});

it.each([
  ['an OCI layout', 'oci:app:app', 'oci:app'],
  ['an OCI archive', 'oci-archive:app.tar:app', 'oci-archive:app.tar'],
])('scans %s from the local-sources folder to COMPLETE', { timeout: 120_000 }, async (_label, image, name) => {
  const response = await call(stack.baseUrl, 'POST', '/api/scans', dev, { image, scanners: ['harborguard'] });
  expect(response.status).toBe(202);
  const scanId = response.body.scanId as string;
  await waitForStatus(stack.baseUrl, dev, scanId, (status) => status === 'COMPLETE' || status === 'FAILED');
  const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, dev)).body.data;
  expect(scan).toMatchObject({ status: 'COMPLETE', image: { name, tag: 'app' } });
  expect(scan.packages.map((p: { name: string; version: string }) => `${p.name}@${p.version}`).sort()).toEqual(EXPECTED_PACKAGES);
});

it.each([
  ['a parent path', 'oci:../outside:app'],
  ['an absolute path outside', 'oci:/etc'],
  ['a symlink leading out', 'oci:escape:app'],
  ['a task file', 'docker-archive:/proc/self/environ'],
  ['a missing path', 'oci:nothing-here'],
  ['a layout given as an archive', 'oci-archive:app'],
])('refuses %s with 400 naming the field', async (_label, image) => {
  const response = await call(stack.baseUrl, 'POST', '/api/scans', dev, { scans: [{ image }] });
  expect(response.status).toBe(400);
  expect(response.body.error.issues).toEqual([{ path: 'scans[0].image', message: expect.any(String) }]);
});
