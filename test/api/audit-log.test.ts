// The audit log: every change to credentials, members, registry settings and scans is an entry
// naming who did it, to what, from which address and when, and no entry ever holds a secret.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { hashSecret } from '../../functions/domain/identity/secrets.ts';
import type { Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { callFrom } from './call-from-address.ts';

let stack: TestStack;
let org: SeededOrg;
let session: Credential;
const SOURCE = '127.0.0.11';
const PASSWORD = 'registry-password-that-must-never-be-audited';

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('audit');
  session = { kind: 'cookie', value: org.sessions.admin };
});
afterAll(() => stack?.close());

const api = (method: string, path: string, body?: unknown) => callFrom(SOURCE, stack.baseUrl, method, path, session, body);

async function ok(method: string, path: string, body?: unknown) {
  const response = await api(method, path, body);
  expect(response.status, `${method} ${path}: ${JSON.stringify(response.body)}`).toBeLessThan(300);
  return response.body;
}

it('records each change with actor, target, source IP and time, and never a secret', async () => {
  const startedAt = new Date(Date.now() - 1000).toISOString();
  const key = (await ok('POST', '/api/api-keys', { name: 'ci', role: 'developer' })).data;
  await ok('DELETE', `/api/api-keys/${key.id}`);
  const pat = (await ok('POST', '/api/personal-access-tokens', { name: 'laptop' })).data;
  await ok('DELETE', `/api/personal-access-tokens/${pat.id}`);
  const member = (await ok('POST', '/api/members', { email: 'erin@audit.test', role: 'viewer' })).data;
  await ok('PATCH', `/api/members/${member.userId}`, { role: 'developer' });
  await ok('DELETE', `/api/members/${member.userId}`);
  await ok('PUT', '/api/registries/registry.audit.example', { username: 'robot', password: PASSWORD });
  await ok('DELETE', '/api/registries/registry.audit.example');
  const scan = await ok('POST', '/api/scans', { image: 'ghcr.io/acme/api:1.4.7', scanners: ['trivy'] });
  await ok('DELETE', `/api/scans/${scan.scanId}`);
  await ok('PUT', '/api/organization/sla-policy', { CRITICAL: 2, HIGH: 4, MEDIUM: 8, LOW: 16 });
  const finishedAt = new Date(Date.now() + 1000).toISOString();

  const entries: Array<Record<string, unknown>> = (await ok('GET', '/api/audit-logs?limit=200')).data;
  const expected: Array<[string, string]> = [
    ['api-key.create', key.id],
    ['api-key.revoke', key.id],
    ['pat.create', pat.id],
    ['pat.revoke', pat.id],
    ['member.add', member.userId],
    ['member.role', member.userId],
    ['member.remove', member.userId],
    ['registry.put', 'registry.audit.example'],
    ['registry.delete', 'registry.audit.example'],
    ['scan.delete', scan.scanId],
    ['sla-policy.update', org.orgId],
  ];
  for (const [action, target] of expected) {
    const entry = entries.find((e) => e.action === action && e.target === target);
    expect(entry, `${action} ${target}`).toMatchObject({ actor: org.userIds.admin, sourceIp: SOURCE });
    expect((entry!.at as string) >= startedAt && (entry!.at as string) <= finishedAt, `${action} at ${String(entry!.at)}`).toBe(true);
  }
  expect(entries.find((e) => e.action === 'member.role')).toMatchObject({ before: { role: 'viewer' }, after: { role: 'developer' } });

  const log = JSON.stringify(entries);
  for (const secret of [key.key as string, pat.token as string]) {
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.replace(/^hg_(ak|pat)_/, ''));
    expect(log).not.toContain(hashSecret(secret));
  }
  expect(log).not.toContain(PASSWORD);
  expect(log).not.toMatch(/secretHash|sealedPassword|"password"|"prefix"/);
});

it('is for admins only', async () => {
  const developer = await callFrom(SOURCE, stack.baseUrl, 'GET', '/api/audit-logs', { kind: 'cookie', value: org.sessions.developer });
  expect(developer.status).toBe(403);
});
