// Re-matching on the local stack, with no registry at all: a scan stored with snapshot v1 (no
// advisory for its lodash) is re-matched against v2, which has one; the tag gets a new COMPLETE
// scan (trigger `rematch`) whose lodash finding says it was detected by the re-match, the risk
// rises, and finding.new reaches a subscribed receiver; v5 puts its CVE in KEV and kev.added
// follows. v3 withdraws the advisory: another scan resolves it. The same snapshot again, the same
// base again, or a snapshot that changes nothing for the image writes nothing.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadSnapshot, type AdvisorySnapshot } from '../../shared/matching/snapshot-reader.ts';
import { writeAdvisorySnapshots } from '../../scanner-task/testing/advisory-snapshots.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let receiver: WebhookReceiver;
const snapshots: Record<string, AdvisorySnapshot> = {};

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('rematch');
  admin = apiKey(org.apiKeys.admin);
  const paths = await writeAdvisorySnapshots(mkdtempSync(join(tmpdir(), 'hg-rematch-stack-')));
  for (const [version, path] of Object.entries(paths)) snapshots[version] = await loadSnapshot(path);
  receiver = await startWebhookReceiver();
  expect((await call(stack.baseUrl, 'POST', '/api/webhooks', admin, { url: receiver.url, events: ['finding.new', 'kev.added'] })).status).toBe(201);
});
afterAll(async () => {
  for (const snapshot of Object.values(snapshots)) snapshot.close();
  await stack?.close();
  await receiver?.close();
});

const identity = (version: string) => {
  const { builtAt, contentHash, advisories } = snapshots[version]!.header;
  return { builtAt, contentHash, advisories };
};
const scan = async (id: string) => (await call(stack.baseUrl, 'GET', `/api/scans/${id}`, admin)).body.data;
const rematches = async () => (await call(stack.baseUrl, 'GET', '/api/scans?trigger=rematch', admin)).body.meta.total;

async function rematchScan(baseScanId: string, version: string) {
  const [{ rematchScan: run }, { apiDependencies }] = await Promise.all([
    import('../../functions/domain/watch/rematch-scan.ts'),
    import('../../functions/composition/api.ts'),
  ]);
  return run(org.orgId, baseScanId, snapshots[version]!, identity(version), apiDependencies());
}

it('brings a new advisory to a stored scan without pulling, as a re-match scan with its history and a webhook; a withdrawal resolves it; repeats write nothing', async () => {
  const base = sampleEnvelope({
    image: { name: 'registry.example.com/acme/app', tag: '1.0', digest: `sha256:${'e'.repeat(64)}` },
    vulnerabilities: [],
    packages: [{ name: 'lodash', version: '4.17.15', type: 'npm', purl: 'pkg:npm/lodash@4.17.15' }],
    matching: { status: 'MATCHED', snapshot: identity('v1') },
  });
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', apiKey(org.sensorKey), base)).status).toBe(200);
  expect((await scan(base.scan.id)).riskScore).toBe(0);

  const found = await rematchScan(base.scan.id, 'v2');
  if (found.outcome !== 'rematched') throw new Error(`expected a re-match, got ${found.outcome}`);
  const rematched = await scan(found.scan.id);
  expect(rematched).toMatchObject({
    status: 'COMPLETE',
    image: { name: 'registry.example.com/acme/app', tag: '1.0' },
    trigger: { kind: 'rematch', basedOn: base.scan.id, snapshot: { contentHash: snapshots.v2!.header.contentHash } },
    matching: { status: 'MATCHED', snapshot: { contentHash: snapshots.v2!.header.contentHash } },
  });
  expect(rematched.riskScore).toBeGreaterThan(0);
  const [finding] = rematched.vulnerabilities;
  expect(finding).toMatchObject({ cveId: 'CVE-2021-23337', package: 'lodash', detectedBy: 'rematch' });
  expect(finding.timeline.firstSeenAt).toBe(finding.timeline.detectedAt);
  const announced = await receiver.next((e) => e.type === 'finding.new' && e.data.scan.id === found.scan.id);
  expect(announced.data.findings.items.map((f: { cveId: string }) => f.cveId)).toEqual(['CVE-2021-23337']);

  // Repeats: the same snapshot on the new scan, the same base again.
  expect((await rematchScan(found.scan.id, 'v2')).outcome).toBe('same-snapshot');
  expect((await rematchScan(base.scan.id, 'v2')).outcome).toBe('already-rematched');
  expect(await rematches()).toBe(1);

  // v5 puts the same CVE in KEV: the finding stays, the KEV entry alone is a change, and kev.added goes out.
  const exploited = await rematchScan(found.scan.id, 'v5');
  if (exploited.outcome !== 'rematched') throw new Error(`expected a re-match, got ${exploited.outcome}`);
  expect([exploited.added, exploited.resolved]).toEqual([[], []]);
  expect(exploited.updated.map((f) => [f.cveId, f.knownExploited])).toEqual([['CVE-2021-23337', true]]);
  const kev = await receiver.next((e) => e.type === 'kev.added' && e.data.scan.id === exploited.scan.id);
  expect(kev.data.findings.items).toMatchObject([{ cveId: 'CVE-2021-23337', knownExploited: true }]);
  expect(receiver.events.filter((e) => e.type === 'finding.new' && e.data.scan.id === exploited.scan.id)).toEqual([]);

  // v3 withdraws the advisory: the next re-match scan has no lodash finding, and the earlier one is resolved.
  const withdrawn = await rematchScan(exploited.scan.id, 'v3');
  if (withdrawn.outcome !== 'rematched') throw new Error(`expected a re-match, got ${withdrawn.outcome}`);
  expect(withdrawn.resolved.map((f) => f.cveId)).toEqual(['CVE-2021-23337']);
  expect((await scan(withdrawn.scan.id)).vulnerabilities).toEqual([]);
  expect((await scan(exploited.scan.id)).vulnerabilities[0].timeline.resolvedAt).not.toBeNull();

  // v4 changes nothing for this image: no scan is written.
  expect((await rematchScan(withdrawn.scan.id, 'v4')).outcome).toBe('same-findings');
  expect(await rematches()).toBe(3);
});
