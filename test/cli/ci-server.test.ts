// `harborguard ci --url`: the same gate with the scan run by a HarborGuard server (the local
// stack's real handlers and pipeline, the image a local source): the verdicts of a local run, the
// organisation's triage counted, a scan id as the baseline, and the answers that decide nothing
// (server unreachable, a rate limit past the deadline) as one line with exit 2.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harborguard } from '../../scanner-task/testing/run-cli.ts';
import { freePort } from '../../local/free-port.ts';
import { apiKey, call } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { writeGateFixtures } from './gate-fixtures.ts';

let stack: TestStack;
let org: SeededOrg;

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'hg-ci-server-'));
  // The local-sources folder: the images are oci:base:base and oci:app:app there.
  const { db } = await writeGateFixtures(work);
  stack = await startTestStack({ pipeline: true, env: { HG_LOCAL_SOURCES_DIR: work, HARBORGUARD_DB: db } });
  org = await seedOrganization('ci-server');
}, 120_000);
afterAll(async () => {
  await stack?.close();
  delete process.env.HG_LOCAL_SOURCES_DIR;
});

const gate = (args: string[], key = org.apiKeys.developer) => harborguard(['ci', ...args], '', { HARBORGUARD_URL: stack.baseUrl, HARBORGUARD_API_KEY: key });
const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);
const scanIdOf = (stdout: string) => /\/dashboard\/scans\/(scn-[A-Za-z0-9_-]+)/.exec(stdout)?.[1];

describe('harborguard ci --url', () => {
  it('fails the vulnerable image and passes the clean one, with progress as timestamped lines and a link to the scan', { timeout: 120_000 }, async () => {
    const failed = await gate(['oci:app:app', '--fail-on', 'high']);
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stdout).toContain('CVE-2021-23337');
    expect(lastLine(failed.stdout)).toBe('FAIL: failOn HIGH broken by 1 finding');
    expect(failed.stderr).toMatch(/^\d\d:\d\d:\d\d scan scn-\S+ queued on /m);
    expect(failed.stderr).toMatch(/^\d\d:\d\d:\d\d scan scn-\S+: COMPLETE$/m);
    expect(failed.stdout).toMatch(new RegExp(`Scan: ${stack.baseUrl}/dashboard/scans/scn-`));
    const passed = await gate(['oci:base:base', '--fail-on', 'high']);
    expect(passed.status, passed.stderr).toBe(0);
  });

  it('counts the organisation’s triage: a finding triaged WONT_FIX no longer fails the gate', { timeout: 120_000 }, async () => {
    const first = await gate(['oci:app:app', '--fail-on', 'high']);
    expect(first.status, first.stderr).toBe(1);
    const scanId = scanIdOf(first.stdout)!;
    const admin = apiKey(org.apiKeys.admin);
    const [finding] = (await call(stack.baseUrl, 'GET', `/api/scans/${scanId}`, admin)).body.data.vulnerabilities as Array<{ id: string }>;
    const triaged = await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${finding!.id}/triage`, admin, {
      status: 'WONT_FIX',
      note: 'template() is never called',
    });
    expect(triaged.status).toBe(200);
    // The next scan of the repository carries the triage, and the gate reads it.
    const next = await gate(['oci:app:app', '--fail-on', 'high']);
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toMatch(/CVE-2021-23337 in lodash 4\.17\.20: triaged WONT_FIX/);
  });

  it('takes a scan id as the baseline: fails for what the image adds, passes when it adds nothing', { timeout: 120_000 }, async () => {
    // An organisation of its own: no triage from the test before.
    const key = (await seedOrganization('ci-server-baseline')).apiKeys.developer;
    const base = await gate(['oci:base:base'], key);
    const baseScan = scanIdOf(base.stdout)!;
    const adds = await gate(['oci:app:app', '--fail-on', 'high', '--new-only', '--baseline', baseScan], key);
    expect(adds.status, adds.stderr).toBe(1);
    expect(lastLine(adds.stdout)).toBe('FAIL: failOn HIGH broken by 1 finding');
    const appScan = scanIdOf(adds.stdout)!;
    const same = await gate(['oci:app:app', '--fail-on', 'high', '--new-only', '--baseline', appScan], key);
    expect(same.status, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/1 in the baseline/);
  });

  it('decides nothing when the server cannot be reached: one line, exit 2', async () => {
    const closed = await freePort();
    const run = await harborguard(['ci', 'oci:app:app', '--url', `http://127.0.0.1:${closed}`, '--api-key', 'hg_ak_x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^harborguard ci: cannot reach the HarborGuard server at http://127\\.0\\.0\\.1:${closed}: .+\\n$`));
  });

  it('waits out a 429 as Retry-After says, and gives up in one line when that is past --timeout', { timeout: 60_000 }, async () => {
    const limited = await seedOrganization('ci-server-limited');
    const key = apiKey(limited.apiKeys.developer);
    // The submission budget (10 a minute per credential) spent.
    for (let i = 0; i < 10; i++) expect((await call(stack.baseUrl, 'POST', '/api/scans', key, { image: 'oci:base:base' })).status).toBe(202);
    const run = await gate(['oci:base:base', '--timeout', '3'], limited.apiKeys.developer);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/rate limited by the server; retrying in \d+ s/);
    expect(lastLine(run.stderr)).toMatch(/^harborguard ci: timed out: rate limited by the server \(POST \/api\/scans\)$/);
  });
});
