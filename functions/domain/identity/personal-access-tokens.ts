// Personal access tokens: a user's own credential for scripts, acting with that user's
// role at request time. Only a user (PAT or session) manages them, and only their own; an API
// key is not a user. Creation and revocation are audited (without the secret).
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { newId } from '../ids.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import type { IdentityStore, PatRecord } from './identity-store.ts';
import type { Principal } from './principal.ts';
import { displayPrefix, generateSecret, hashSecret } from './secrets.ts';

export type PatView = Omit<PatRecord, 'secretHash' | 'kind' | 'orgId' | 'userId' | 'createdBy'>;

export function viewPat({ secretHash: _h, kind: _k, orgId: _o, userId: _u, createdBy: _c, ...view }: PatRecord): PatView {
  return view;
}

export function requireUser(actor: Principal): string {
  if (!actor.userId) throw new ForbiddenError('Personal access tokens belong to users: use a PAT or a session, not an API key');
  return actor.userId;
}

interface Deps {
  identity: IdentityStore;
  now: () => Date;
}

type AuditedDeps = Deps & { triage: Pick<TriageStore, 'appendAudit'> };

const auditedPat = ({ name, userId, expiresAt }: PatRecord) => ({ name, userId, ...(expiresAt ? { expiresAt } : {}) });

/**
 * Stores a new token without auditing it: for bootstrapping a deployment from an operator's
 * machine, where there is no request and no audit log yet. Requests use createPat.
 */
export async function issuePat(
  actor: Principal,
  input: { name: string; expiresAt?: string },
  deps: Deps,
  /** Only for bootstrapping a deployment with an operator-chosen token; normally generated. */
  secret = generateSecret('pat'),
): Promise<{ token: PatView; secret: string; record: PatRecord }> {
  const userId = requireUser(actor);
  const record: PatRecord = {
    kind: 'pat',
    id: newId('pat'),
    name: input.name,
    orgId: actor.orgId,
    userId,
    prefix: displayPrefix(secret),
    secretHash: hashSecret(secret),
    createdAt: deps.now().toISOString(),
    createdBy: userId,
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
  };
  await deps.identity.createPat(record);
  return { token: viewPat(record), secret, record };
}

export async function createPat(actor: Principal, input: { name: string; expiresAt?: string }, deps: AuditedDeps): Promise<{ token: PatView; secret: string }> {
  const { token, secret, record } = await issuePat(actor, input, deps);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'pat.create', target: token.id, after: auditedPat(record) });
  return { token, secret };
}

export async function revokePat(actor: Principal, patId: string, deps: AuditedDeps): Promise<void> {
  const userId = requireUser(actor);
  const pat = await deps.identity.getPat(userId, actor.orgId, patId);
  if (!pat || !(await deps.identity.deletePat(userId, actor.orgId, patId))) throw new NotFoundError(`Token ${patId} not found`);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'pat.revoke', target: patId, before: auditedPat(pat) });
}
