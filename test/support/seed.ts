// Seeds an organisation with one credential of every kind and role, through the domain's own
// services and the real DynamoDB adapter (no hand-written items).
import { apiDependencies } from '../../functions/composition/api.ts';
import { createApiKey, revokeApiKey } from '../../functions/domain/identity/api-keys.ts';
import { createPat } from '../../functions/domain/identity/personal-access-tokens.ts';
import type { Principal } from '../../functions/domain/identity/principal.ts';
import type { Role } from '../../functions/domain/identity/roles.ts';
import { signSessionToken } from '../../functions/domain/identity/session-token.ts';
import { newId } from '../../functions/domain/ids.ts';
import { TEST_SESSION_SECRET } from './test-stack.ts';

export type SeedRole = Extract<Role, 'viewer' | 'developer' | 'admin'>;
export const SEED_ROLES: SeedRole[] = ['viewer', 'developer', 'admin'];

export interface SeededOrg {
  orgId: string;
  apiKeys: Record<SeedRole, string>;
  pats: Record<SeedRole, string>;
  sessions: Record<SeedRole, string>;
  userIds: Record<SeedRole, string>;
  sensorKey: string;
  expiredKey: string;
  expiredPat: string;
  revokedKey: string;
  expiredSession: string;
  tamperedSession: string;
}

export function sessionFor(userId: string, orgId: string, options: { expiresInSeconds?: number; secret?: string } = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  return signSessionToken({ sub: userId, org: orgId, iat, exp: iat + (options.expiresInSeconds ?? 3600) }, options.secret ?? TEST_SESSION_SECRET);
}

export async function seedOrganization(slug: string): Promise<SeededOrg> {
  const deps = apiDependencies();
  // Memberships predate every credential below, including the back-dated expired ones.
  const at = new Date(Date.now() - 3 * 3_600_000).toISOString();
  const org = await deps.identity.ensureOrganization({ id: newId('org'), slug, name: slug, createdAt: at });
  const system: Principal = { orgId: org.id, role: 'owner', kind: 'api_key', credentialId: 'seed', sensor: false };
  const key = async (role: Role, sensor = false, expiresAt?: string) =>
    (await createApiKey(system, { name: `${role}${sensor ? '-sensor' : ''}`, role, sensor, ...(expiresAt ? { expiresAt } : {}) }, deps)).secret;

  const apiKeys = {} as Record<SeedRole, string>;
  const pats = {} as Record<SeedRole, string>;
  const sessions = {} as Record<SeedRole, string>;
  const userIds = {} as Record<SeedRole, string>;
  for (const role of SEED_ROLES) {
    apiKeys[role] = await key(role);
    const user = await deps.identity.ensureUser({ id: newId('usr'), email: `${role}@${slug}.test`, createdAt: at });
    await deps.identity.addMembership({ orgId: org.id, userId: user.id, email: user.email, role, addedAt: at, updatedAt: at });
    const asUser: Principal = { orgId: org.id, role, kind: 'session', credentialId: user.id, userId: user.id, sensor: false };
    pats[role] = (await createPat(asUser, { name: 'seed' }, deps)).secret;
    sessions[role] = sessionFor(user.id, org.id);
    userIds[role] = user.id;
  }

  const past = { ...deps, now: () => new Date(Date.now() - 7_200_000) };
  const expiredKey = (
    await createApiKey(system, { name: 'expired', role: 'admin', sensor: false, expiresAt: new Date(Date.now() - 3_600_000).toISOString() }, past)
  ).secret;
  const adminUser: Principal = { orgId: org.id, role: 'admin', kind: 'session', credentialId: userIds.admin, userId: userIds.admin, sensor: false };
  const expiredPat = (await createPat(adminUser, { name: 'expired', expiresAt: new Date(Date.now() - 3_600_000).toISOString() }, past)).secret;
  const revoked = await createApiKey(system, { name: 'revoked', role: 'admin', sensor: false }, deps);
  await revokeApiKey(system, revoked.key.id, deps);

  const adminSession = sessions.admin;
  const [head, payload, signature] = adminSession.split('.') as [string, string, string];
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), org: 'org-someoneelse' })).toString('base64url');
  return {
    orgId: org.id,
    apiKeys,
    pats,
    sessions,
    userIds,
    sensorKey: await key('developer', true),
    expiredKey,
    expiredPat,
    revokedKey: revoked.secret,
    expiredSession: sessionFor(userIds.admin, org.id, { expiresInSeconds: -60 }),
    tamperedSession: `${head}.${forged}.${signature}`,
  };
}
