// Every declared route × every kind of credential and every role: refused (401 for a credential
// that is not valid, 403 for one the route's access does not accept) exactly when the route's
// `access` declaration says so, and allowed (any answer but 401/403) otherwise; a public route
// answers 200 to every caller, a bad credential included (it is ignored); a self-verified route (a registry hook)
// ignores every API credential and refuses an unknown id with 401 alike. The routes come from
// ROUTE_GROUPS, so a route added later is called here without editing this file.
// Requests carry no body and unknown ids, so an allowed call ends in 400/404/415 and changes
// nothing: the order of the cases cannot change their answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublic, isSelfVerified, type Access, type CredentialKind } from '../../functions/http/access.ts';
import { createApiKey, mintScanCredential } from '../../functions/domain/identity/api-keys.ts';
import { createPat } from '../../functions/domain/identity/personal-access-tokens.ts';
import type { Principal } from '../../functions/domain/identity/principal.ts';
import { ROLES, type Role } from '../../functions/domain/identity/roles.ts';
import { newId } from '../../functions/domain/ids.ts';
import { apiDependencies } from '../../functions/composition/api.ts';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';
import type { Credential } from '../support/http.ts';
import { seedOrganization, sessionFor, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';
import { callFrom } from './call-from-address.ts';

/** The one scan id every {scanId} names: the task credential's own scan, which never exists. */
const TASK_SCAN = 'scn-authmatrixtask';
/** Any other path parameter: an id that names nothing (or is refused as malformed, also after authorisation). */
const UNKNOWN_ID = 'matrix-doesnotexist';

type Secrets = SeededOrg & { owner: { apiKey: string; pat: string; session: string }; taskKey: string };

let stack: TestStack;
let secrets: Secrets;

/** The seed has no owner; the matrix calls with every role, so the owner's credentials are made here. */
async function seedOwner(org: SeededOrg): Promise<Secrets['owner']> {
  const deps = apiDependencies();
  const at = new Date(Date.now() - 3_600_000).toISOString();
  const user = await deps.identity.ensureUser({ id: newId('usr'), email: 'owner@matrix.test', createdAt: at });
  await deps.identity.addMembership({ orgId: org.orgId, userId: user.id, email: user.email, role: 'owner', addedAt: at, updatedAt: at });
  const asOwner: Principal = { orgId: org.orgId, role: 'owner', kind: 'session', credentialId: user.id, userId: user.id, sensor: false };
  return {
    apiKey: (await createApiKey(asOwner, { name: 'owner', role: 'owner', sensor: false }, deps)).secret,
    pat: (await createPat(asOwner, { name: 'owner' }, deps)).secret,
    session: sessionFor(user.id, org.orgId),
  };
}

beforeAll(async () => {
  stack = await startTestStack();
  const org = await seedOrganization('matrix');
  const deadline = new Date(Date.now() + 3_600_000).toISOString();
  secrets = { ...org, owner: await seedOwner(org), taskKey: await mintScanCredential(org.orgId, TASK_SCAN, deadline, apiDependencies()) };
});
afterAll(() => stack?.close());

interface Caller {
  name: string;
  credential: () => Credential;
  /** Absent: the credential is not valid at all (401 on every route). */
  kind?: CredentialKind;
  role?: Role;
}

function memberSecrets(role: Role): { apiKey: string; pat: string; session: string } {
  if (role === 'owner') return secrets.owner;
  return { apiKey: secrets.apiKeys[role], pat: secrets.pats[role], session: secrets.sessions[role] };
}

const CALLERS: Caller[] = [
  { name: 'no credential', credential: () => ({ kind: 'none' }) },
  ...ROLES.flatMap((role): Caller[] => [
    { name: `X-API-Key ${role}`, credential: () => ({ kind: 'x-api-key', value: memberSecrets(role).apiKey }), kind: 'api_key', role },
    { name: `Bearer key ${role}`, credential: () => ({ kind: 'bearer', value: memberSecrets(role).apiKey }), kind: 'api_key', role },
    { name: `Bearer PAT ${role}`, credential: () => ({ kind: 'bearer', value: memberSecrets(role).pat }), kind: 'pat', role },
    { name: `session ${role}`, credential: () => ({ kind: 'cookie', value: memberSecrets(role).session }), kind: 'session', role },
  ]),
  { name: 'sensor key (X-API-Key)', credential: () => ({ kind: 'x-api-key', value: secrets.sensorKey }), kind: 'sensor_key' },
  { name: 'sensor key (Bearer)', credential: () => ({ kind: 'bearer', value: secrets.sensorKey }), kind: 'sensor_key' },
  { name: 'task key (X-API-Key)', credential: () => ({ kind: 'x-api-key', value: secrets.taskKey }), kind: 'task' },
  { name: 'task key (Bearer)', credential: () => ({ kind: 'bearer', value: secrets.taskKey }), kind: 'task' },
  { name: 'expired key', credential: () => ({ kind: 'x-api-key', value: secrets.expiredKey }) },
  { name: 'expired PAT', credential: () => ({ kind: 'bearer', value: secrets.expiredPat }) },
  { name: 'revoked key', credential: () => ({ kind: 'bearer', value: secrets.revokedKey }) },
  { name: 'tampered session', credential: () => ({ kind: 'cookie', value: secrets.tamperedSession }) },
  { name: 'expired session', credential: () => ({ kind: 'cookie', value: secrets.expiredSession }) },
  {
    name: 'tampered key (one hex digit changed)',
    credential: () => ({ kind: 'x-api-key', value: secrets.apiKeys.admin.slice(0, -1) + (secrets.apiKeys.admin.endsWith('0') ? '1' : '0') }),
  },
  { name: 'PAT in X-API-Key', credential: () => ({ kind: 'x-api-key', value: secrets.pats.admin }) },
  { name: 'malformed bearer', credential: () => ({ kind: 'bearer', value: 'hg_ak_nothex' }) },
];

/** The answer the declaration calls for, worked out here from the declaration alone. */
function expected(access: Access, caller: Caller): 200 | 401 | 403 | 'allowed' {
  // The route checks a secret of its own and ignores API credentials: an unknown id is refused alike for every caller.
  if (isSelfVerified(access)) return 401;
  if (isPublic(access)) return 200;
  if (caller.kind === undefined) return 401;
  if (!(access.credentials as readonly CredentialKind[]).includes(caller.kind)) return 403;
  if ('minRole' in access && ROLES.indexOf(caller.role!) < ROLES.indexOf(access.minRole)) return 403;
  return 'allowed';
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

const ROUTES = ROUTE_GROUPS.flatMap((group) => group.routes);
const pathOf = (resource: string) => resource.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'scanId' ? TASK_SCAN : UNKNOWN_ID));

describe.each(ROUTES.map((route) => [`${route.method} ${route.resource}`, route] as const))('%s', (_name, route) => {
  it.each(CALLERS)('$name', async (caller) => {
    const want = expected(route.access, caller);
    const response = await callFrom(nextSource(), stack.baseUrl, route.method, pathOf(route.resource), caller.credential());
    const answer = { status: response.status, body: response.body };
    if (want === 200) {
      expect(response.status, JSON.stringify(answer)).toBe(200);
    } else if (want === 'allowed') {
      expect([401, 403], JSON.stringify(answer)).not.toContain(response.status);
      expect(response.status, JSON.stringify(answer)).toBeLessThan(500);
    } else {
      expect(answer).toMatchObject({ status: want, body: { error: { code: want === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' } } });
    }
  });
});
