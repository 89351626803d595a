// Every endpoint × every kind of credential × every role, with the exact status code.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Credential } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { SEED_ROLES, seedOrganization, type SeededOrg, type SeedRole } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { callFrom } from './call-from-address.ts';

let stack: TestStack;
let org: SeededOrg;
let scanId: string;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('matrix');
  const created = await call(stack.baseUrl, 'POST', '/api/scans', { kind: 'x-api-key', value: org.apiKeys.admin }, { image: 'nginx:1.25' });
  scanId = created.body.scanId;
});
afterAll(() => stack?.close());

type Rule = { minRole: SeedRole; users?: true } | { sensor: true };
interface Endpoint {
  name: string;
  method: string;
  path: () => string;
  rule: Rule;
  ok: number;
  body?: () => unknown;
}

let unique = 0;
const UNKNOWN = { scan: 'scn-doesnotexist', key: 'ak-doesnotexist', pat: 'pat-doesnotexist', user: 'usr-doesnotexist' };
const ENDPOINTS: Endpoint[] = [
  { name: 'GET /api/scans', method: 'GET', path: () => '/api/scans', rule: { minRole: 'developer' }, ok: 200 },
  { name: 'POST /api/scans', method: 'POST', path: () => '/api/scans', rule: { minRole: 'developer' }, ok: 202, body: () => ({ image: 'ghcr.io/acme/api:1.4.7', scanners: ['trivy'] }) },
  { name: 'GET /api/scans/{scanId}', method: 'GET', path: () => `/api/scans/${scanId}`, rule: { minRole: 'viewer' }, ok: 200 },
  { name: 'GET /api/scans/{scanId}/status', method: 'GET', path: () => `/api/scans/${scanId}/status`, rule: { minRole: 'viewer' }, ok: 200 },
  // Authorisation runs before lookup: an allowed caller learns the scan does not exist.
  { name: 'DELETE /api/scans/{unknown scanId}', method: 'DELETE', path: () => `/api/scans/${UNKNOWN.scan}`, rule: { minRole: 'admin' }, ok: 404 },
  { name: 'POST /api/scans/upload', method: 'POST', path: () => '/api/scans/upload', rule: { sensor: true }, ok: 200, body: () => sampleEnvelope() },
  { name: 'POST /api/api-keys', method: 'POST', path: () => '/api/api-keys', rule: { minRole: 'admin' }, ok: 201, body: () => ({ name: 'matrix', role: 'viewer' }) },
  { name: 'GET /api/api-keys', method: 'GET', path: () => '/api/api-keys', rule: { minRole: 'admin' }, ok: 200 },
  { name: 'DELETE /api/api-keys/{unknown keyId}', method: 'DELETE', path: () => `/api/api-keys/${UNKNOWN.key}`, rule: { minRole: 'admin' }, ok: 404 },
  { name: 'POST /api/personal-access-tokens', method: 'POST', path: () => '/api/personal-access-tokens', rule: { minRole: 'viewer', users: true }, ok: 201, body: () => ({ name: 'matrix' }) },
  { name: 'GET /api/personal-access-tokens', method: 'GET', path: () => '/api/personal-access-tokens', rule: { minRole: 'viewer', users: true }, ok: 200 },
  { name: 'DELETE /api/personal-access-tokens/{unknown tokenId}', method: 'DELETE', path: () => `/api/personal-access-tokens/${UNKNOWN.pat}`, rule: { minRole: 'viewer', users: true }, ok: 404 },
  { name: 'GET /api/members', method: 'GET', path: () => '/api/members', rule: { minRole: 'admin' }, ok: 200 },
  { name: 'POST /api/members', method: 'POST', path: () => '/api/members', rule: { minRole: 'admin' }, ok: 201, body: () => ({ email: `new${++unique}@matrix.test`, role: 'viewer' }) },
  { name: 'PATCH /api/members/{unknown userId}', method: 'PATCH', path: () => `/api/members/${UNKNOWN.user}`, rule: { minRole: 'admin' }, ok: 404, body: () => ({ role: 'viewer' }) },
  { name: 'DELETE /api/members/{unknown userId}', method: 'DELETE', path: () => `/api/members/${UNKNOWN.user}`, rule: { minRole: 'admin' }, ok: 404 },
];

interface Caller {
  name: string;
  credential: () => Credential;
  /** undefined: the credential is not valid at all. */
  role?: SeedRole;
  isUser?: boolean;
  sensor?: boolean;
}

const CALLERS: Caller[] = [
  { name: 'no credential', credential: () => ({ kind: 'none' }) },
  ...SEED_ROLES.flatMap((role): Caller[] => [
    { name: `X-API-Key ${role}`, credential: () => ({ kind: 'x-api-key', value: org.apiKeys[role] }), role },
    { name: `Bearer key ${role}`, credential: () => ({ kind: 'bearer', value: org.apiKeys[role] }), role },
    { name: `Bearer PAT ${role}`, credential: () => ({ kind: 'bearer', value: org.pats[role] }), role, isUser: true },
    { name: `session ${role}`, credential: () => ({ kind: 'cookie', value: org.sessions[role] }), role, isUser: true },
  ]),
  { name: 'sensor key (X-API-Key)', credential: () => ({ kind: 'x-api-key', value: org.sensorKey }), sensor: true },
  { name: 'sensor key (Bearer)', credential: () => ({ kind: 'bearer', value: org.sensorKey }), sensor: true },
  { name: 'expired key', credential: () => ({ kind: 'x-api-key', value: org.expiredKey }) },
  { name: 'expired PAT', credential: () => ({ kind: 'bearer', value: org.expiredPat }) },
  { name: 'revoked key', credential: () => ({ kind: 'bearer', value: org.revokedKey }) },
  { name: 'tampered session', credential: () => ({ kind: 'cookie', value: org.tamperedSession }) },
  { name: 'expired session', credential: () => ({ kind: 'cookie', value: org.expiredSession }) },
  { name: 'tampered key (one hex digit changed)', credential: () => ({ kind: 'x-api-key', value: org.apiKeys.admin.slice(0, -1) + (org.apiKeys.admin.endsWith('0') ? '1' : '0') }) },
  { name: 'PAT in X-API-Key', credential: () => ({ kind: 'x-api-key', value: org.pats.admin }) },
  { name: 'malformed bearer', credential: () => ({ kind: 'bearer', value: 'hg_ak_nothex' }) },
];

const RANK: Record<SeedRole, number> = { viewer: 0, developer: 1, admin: 2 };

function expected(endpoint: Endpoint, caller: Caller): number {
  if (!caller.role && !caller.sensor) return 401;
  if ('sensor' in endpoint.rule) return caller.sensor ? endpoint.ok : 403;
  if (caller.sensor) return 403;
  if (endpoint.rule.users && !caller.isUser) return 403;
  return RANK[caller.role!] >= RANK[endpoint.rule.minRole] ? endpoint.ok : 403;
}

/**
 * Each case from its own loopback address: the matrix makes far more failed authentications
 * than one source may (20 a minute), and each case must see the answer for its credential.
 */
let sources = 0;
const nextSource = () => {
  const n = ++sources;
  return `127.1.${n >> 8}.${n & 255}`;
};

describe.each(ENDPOINTS)('$name', (endpoint) => {
  it.each(CALLERS)('$name', async (caller) => {
    const want = expected(endpoint, caller);
    const response = await callFrom(nextSource(), stack.baseUrl, endpoint.method, endpoint.path(), caller.credential(), endpoint.body?.());
    expect({ status: response.status, body: response.body }).toMatchObject({ status: want });
    if (want >= 400) {
      const code = { 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND' }[want];
      expect(response.body.error.code).toBe(code);
    }
  });
});
