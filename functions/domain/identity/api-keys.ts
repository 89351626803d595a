// Organisation API keys: created by admins, shown once, stored only as a hash. Nobody issues
// or revokes a key whose role is above their own; both are audited (without the secret).
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { newId } from '../ids.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
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

interface Deps {
  identity: IdentityStore;
  now: () => Date;
}

type AuditedDeps = Deps & { triage: Pick<TriageStore, 'appendAudit'> };

/** What an audit entry says about a key: never its secret, hash or prefix. */
const auditedKey = ({ name, role, sensor, expiresAt }: ApiKeyRecord) => ({ name, role, sensor, ...(expiresAt ? { expiresAt } : {}) });

/**
 * Stores a new key without auditing it: for bootstrapping a deployment from an operator's
 * machine, where there is no request and no audit log yet. Requests use createApiKey.
 */
export async function issueApiKey(
  actor: Principal,
  input: NewApiKey,
  deps: Deps,
  /** Only for bootstrapping a deployment with an operator-chosen key; normally generated. */
  secret = generateSecret('api_key'),
): Promise<{ key: ApiKeyView; secret: string; record: ApiKeyRecord }> {
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
  return { key: viewApiKey(record), secret, record };
}

export async function createApiKey(actor: Principal, input: NewApiKey, deps: AuditedDeps): Promise<{ key: ApiKeyView; secret: string }> {
  const { key, secret, record } = await issueApiKey(actor, input, deps);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'api-key.create', target: key.id, after: auditedKey(record) });
  return { key, secret };
}

/** Mints the upload credential a scanner task gets for one scan, expiring with the scan's deadline. */
export async function mintScanCredential(orgId: string, scanId: string, expiresAt: string, deps: Deps): Promise<string> {
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

/** A key is revoked only by someone whose role is at least the key's: an admin cannot revoke an owner's key. */
export async function revokeApiKey(actor: Principal, keyId: string, deps: AuditedDeps): Promise<void> {
  const key = await deps.identity.getApiKey(actor.orgId, keyId);
  if (!key) throw new NotFoundError(`API key ${keyId} not found`);
  if (!hasRole(actor.role, key.role)) throw new ForbiddenError(`Cannot revoke a key whose role (${key.role}) is above your own (${actor.role})`);
  if (!(await deps.identity.deleteApiKey(actor.orgId, keyId))) throw new NotFoundError(`API key ${keyId} not found`);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'api-key.revoke', target: keyId, before: auditedKey(key) });
}
