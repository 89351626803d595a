// Organisation API keys: created by admins, shown once, stored only as a hash.
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { ApiKeyRecord, IdentityStore } from './identity-store.ts';
import { actorName, type Principal } from './principal.ts';
import { hasRole, type Role } from './roles.ts';
import { displayPrefix, generateSecret, hashSecret } from './secrets.ts';

export interface NewApiKey {
  name: string;
  role: Role;
  sensor: boolean;
  expiresAt?: string;
}

export type ApiKeyView = Omit<ApiKeyRecord, 'secretHash' | 'kind' | 'orgId'>;

export function viewApiKey({ secretHash: _hash, kind: _kind, orgId: _org, ...view }: ApiKeyRecord): ApiKeyView {
  return view;
}

export async function createApiKey(
  actor: Principal,
  input: NewApiKey,
  deps: { identity: IdentityStore; now: () => Date },
  /** Only for bootstrapping a deployment with an operator-chosen key; normally generated. */
  secret = generateSecret('api_key'),
): Promise<{ key: ApiKeyView; secret: string }> {
  if (!hasRole(actor.role, input.role)) {
    throw new ForbiddenError(`An API key cannot have a role above its creator's (${actor.role})`);
  }
  const record: ApiKeyRecord = {
    kind: 'api_key',
    id: newId('ak'),
    name: input.name,
    orgId: actor.orgId,
    role: input.role,
    sensor: input.sensor,
    prefix: displayPrefix(secret),
    secretHash: hashSecret(secret),
    createdAt: deps.now().toISOString(),
    createdBy: actorName(actor),
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
  };
  await deps.identity.createApiKey(record);
  return { key: viewApiKey(record), secret };
}

/** Mints the upload credential a scanner task gets for one scan, expiring with the scan's deadline. */
export async function mintScanCredential(
  orgId: string,
  scanId: string,
  expiresAt: string,
  deps: { identity: IdentityStore; now: () => Date },
): Promise<string> {
  const secret = generateSecret('api_key');
  await deps.identity.createScanCredential({
    kind: 'api_key',
    id: newId('ak'),
    name: `scan ${scanId}`,
    orgId,
    role: 'viewer',
    sensor: true,
    scanId,
    prefix: displayPrefix(secret),
    secretHash: hashSecret(secret),
    createdAt: deps.now().toISOString(),
    createdBy: 'dispatcher',
    expiresAt,
  });
  return secret;
}

export async function revokeApiKey(actor: Principal, keyId: string, deps: { identity: IdentityStore }): Promise<void> {
  if (!(await deps.identity.deleteApiKey(actor.orgId, keyId))) throw new NotFoundError(`API key ${keyId} not found`);
}
