// Findings followed across scans of one image: first sightings, triage carried forward (and
// reopened when a FIXED finding comes back), resolution, SLA deadlines and the audit log.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
let dev: Credential;
let sensor: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('triage');
  admin = apiKey(org.apiKeys.admin);
  dev = { kind: 'bearer', value: org.pats.developer };
  sensor = apiKey(org.sensorKey);
});
afterAll(() => stack?.close());

const VULNS = {
  A: { id: 'CVE-2024-1000', severity: 'CRITICAL', cvss: 9.1, package: 'openssl', version: '3.0.1' },
  B: { id: 'CVE-2024-2000', severity: 'HIGH', cvss: 7.2, package: 'lodash', version: '4.17.15' },
  C: { id: 'CVE-2024-3000', severity: 'MEDIUM', cvss: 5.0, package: 'zlib', version: '1.2.11' },
} as const;

async function uploadScan(finishedAt: string, which: Array<keyof typeof VULNS>, tag = '2.0') {
  const envelope = sampleEnvelope({
    scan: { id: `scn-tri${Date.parse(finishedAt).toString(36)}${tag.replace('.', '')}`, startedAt: finishedAt, finishedAt },
    image: { name: 'ghcr.io/acme/billing', tag },
    vulnerabilities: which.map((k) => ({ ...VULNS[k] })),
  });
  expect((await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope)).status).toBe(200);
  const scan = (await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, admin)).body.data;
  return Object.fromEntries(scan.vulnerabilities.map((v: any) => [v.cveId, v]));
}

it('follows findings across scans of the same tag', async () => {
  const t1 = '2026-03-01T10:00:00.000Z';
  const t2 = '2026-03-05T10:00:00.000Z';
  const t3 = '2026-03-09T10:00:00.000Z';
  const first = await uploadScan(t1, ['A', 'B']);
  expect(first['CVE-2024-1000']).toMatchObject({
    timeline: { detectedAt: t1, firstSeenAt: t1, resolvedAt: null },
    triage: { status: 'OPEN', slaDeadline: '2026-03-02T10:00:00.000Z' },
  });

  const acknowledged = await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${first['CVE-2024-1000'].id}/triage`, dev, {
    status: 'ACKNOWLEDGED',
    assignee: 'dana@acme.test',
    note: 'patch in sprint 12',
  });
  expect(acknowledged.status).toBe(200);
  expect(acknowledged.body.data.triage).toMatchObject({
    status: 'ACKNOWLEDGED',
    assignee: 'dana@acme.test',
    note: 'patch in sprint 12',
    updatedBy: org.userIds.developer,
    updatedAt: expect.any(String),
  });
  expect((await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${first['CVE-2024-2000'].id}/triage`, dev, { status: 'FIXED' })).status).toBe(200);

  const second = await uploadScan(t2, ['A', 'B', 'C']);
  // Same vulnerability in the same package: first seen in the first scan, triage carried.
  expect(second['CVE-2024-1000']).toMatchObject({
    timeline: { detectedAt: t2, firstSeenAt: t1 },
    triage: { status: 'ACKNOWLEDGED', assignee: 'dana@acme.test', slaDeadline: '2026-03-02T10:00:00.000Z' },
  });
  // Marked FIXED but reported again: reopened.
  expect(second['CVE-2024-2000'].triage).toMatchObject({ status: 'OPEN', updatedBy: 'harborguard' });
  expect(second['CVE-2024-3000']).toMatchObject({
    timeline: { firstSeenAt: t2, resolvedAt: null },
    triage: { status: 'OPEN', slaDeadline: '2026-03-12T10:00:00.000Z' },
  });

  await uploadScan(t3, ['C']);
  const secondAgain = Object.fromEntries(
    (await call(stack.baseUrl, 'GET', `/api/scans/scn-tri${Date.parse(t2).toString(36)}20`, admin)).body.data.vulnerabilities.map((v: any) => [v.cveId, v]),
  );
  expect(secondAgain['CVE-2024-1000'].timeline.resolvedAt).toBe(t3);
  expect(secondAgain['CVE-2024-2000'].timeline.resolvedAt).toBe(t3);
  expect(secondAgain['CVE-2024-3000'].timeline.resolvedAt).toBeNull();

  // Another tag of the same repository: its own first sightings, the repository's triage.
  const otherTag = await uploadScan('2026-03-10T10:00:00.000Z', ['A'], '3.0');
  expect(otherTag['CVE-2024-1000']).toMatchObject({ timeline: { firstSeenAt: '2026-03-10T10:00:00.000Z' }, triage: { status: 'ACKNOWLEDGED' } });
});

it('computes SLA deadlines from the organisation policy, which admins set', async () => {
  expect((await call(stack.baseUrl, 'GET', '/api/organization/sla-policy', admin)).body.data).toEqual({ CRITICAL: 1, HIGH: 3, MEDIUM: 7, LOW: 14 });
  expect((await call(stack.baseUrl, 'PUT', '/api/organization/sla-policy', dev, { CRITICAL: 2, HIGH: 5, MEDIUM: 10, LOW: 30 })).status).toBe(403);
  expect((await call(stack.baseUrl, 'PUT', '/api/organization/sla-policy', admin, { CRITICAL: 0, HIGH: 5, MEDIUM: 10, LOW: 30 })).status).toBe(400);
  expect((await call(stack.baseUrl, 'PUT', '/api/organization/sla-policy', admin, { CRITICAL: 2, HIGH: 5, MEDIUM: 10, LOW: 30 })).status).toBe(200);
  const scan = await uploadScan('2026-04-01T00:00:00.000Z', ['A', 'B'], '9.9');
  expect(scan['CVE-2024-1000'].triage.slaDeadline).toBe('2026-04-03T00:00:00.000Z');
  expect(scan['CVE-2024-2000'].triage.slaDeadline).toBe('2026-04-06T00:00:00.000Z');
});

it('audits every triage change, for admins only, newest first', async () => {
  // Pages of three, followed to the end; the seeded credentials and the uploads in between are audited too.
  const entries: Array<{ action: string }> = [];
  for (let path: string | undefined = '/api/audit-logs?limit=3'; path;) {
    const log = await call(stack.baseUrl, 'GET', path, admin);
    expect(log.status).toBe(200);
    expect(log.body.data.length).toBeLessThanOrEqual(3);
    entries.push(...log.body.data);
    path = log.body.links.next;
  }
  const changes = entries.filter((e) => /^(triage|sla-policy)\./.test(e.action));
  expect(changes.map((e) => e.action)).toEqual(['sla-policy.update', 'triage.reopen', 'triage.update', 'triage.update']);
  expect(changes[1]).toMatchObject({ actor: 'harborguard', before: { status: 'FIXED' }, after: { status: 'OPEN' } });
  expect(changes[2]).toMatchObject({ actor: org.userIds.developer, before: { status: 'OPEN' }, after: { status: 'FIXED' } });
  expect(entries.some((e) => e.action === 'scan.upload')).toBe(true);
  expect((await call(stack.baseUrl, 'GET', '/api/audit-logs', dev)).status).toBe(403);
  expect((await call(stack.baseUrl, 'GET', '/api/audit-logs?limit=0', admin)).status).toBe(400);
  expect((await call(stack.baseUrl, 'GET', '/api/audit-logs?cursor=abc', admin)).status).toBe(400);
});

it('rejects bad triage changes and unknown or foreign findings', async () => {
  const scan = await uploadScan('2026-05-01T00:00:00.000Z', ['A'], '5.0');
  const id = scan['CVE-2024-1000'].id;
  for (const body of [{}, { status: 'DONE' }, { assignee: '' }, { status: 'OPEN', extra: 1 }]) {
    const response = await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${id}/triage`, dev, body);
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('VALIDATION_ERROR');
  }
  expect(
    (await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${id}/triage`, { kind: 'cookie', value: org.sessions.viewer }, { status: 'OPEN' })).status,
  ).toBe(403);
  expect((await call(stack.baseUrl, 'PUT', '/api/vulnerabilities/fnd-nothing.0123456789abcdef0123/triage', dev, { status: 'OPEN' })).status).toBe(404);
  const other = await seedOrganization('triage-other');
  expect((await call(stack.baseUrl, 'PUT', `/api/vulnerabilities/${id}/triage`, apiKey(other.apiKeys.admin), { status: 'WONT_FIX' })).status).toBe(404);
});
