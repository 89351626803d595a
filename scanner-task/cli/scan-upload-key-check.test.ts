// `harborguard scan … --upload URL --api-key KEY` asks the control plane about the key before it
// scans: a key that cannot upload fails in one line, non-zero, without the image being read
// (here the image does not even exist, so any scanning would fail with another reason).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { seedOrganization, type SeededOrg } from '../../test/support/seed.ts';
import { startTestStack, type TestStack } from '../../test/support/test-stack.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { harborguard } from '../testing/run-cli.ts';

let stack: TestStack;
let org: SeededOrg;
let dir: string;
beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('cli-upload');
  dir = mkdtempSync(join(tmpdir(), 'hg-cli-upload-'));
});
afterAll(() => stack?.close());

it('refuses a key that is not a sensor key, or not a key at all, before scanning', async () => {
  const missingImage = `oci:${join(dir, 'no-such-layout')}`;
  const upload = (key: string) => harborguard(['scan', missingImage, '--upload', stack.baseUrl, '--api-key', key], '', { HARBORGUARD_DB: join(dir, 'no.db') });
  const [admin, unknown] = await Promise.all([upload(org.apiKeys.admin), upload(org.revokedKey)]);
  for (const [run, reason] of [
    [admin, /403 This endpoint accepts only sensor-scoped API keys/],
    [unknown, /401 /],
  ] as const) {
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(reason);
    expect(run.stderr).toMatch(/^harborguard: the control plane refused this API key \(.*\); --upload needs a sensor API key\n$/);
    expect(run.stderr).not.toMatch(/OCI image layout/);
  }
});

it('scans and uploads with a sensor key', async () => {
  const source = await writeOciLayout(join(dir, 'layout'), {
    config: { config: { User: 'app' } },
    layers: [[{ name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' }]],
  });
  const run = await harborguard(['scan', source, '--upload', stack.baseUrl, '--api-key', org.sensorKey], '', { HARBORGUARD_DB: join(dir, 'no.db') });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stderr).toMatch(/^uploaded scn-\S+: risk/m);
});
