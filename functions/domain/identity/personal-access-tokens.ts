// Personal access tokens: a user's own credential for scripts, acting with that user's
// role at request time. Only a user (PAT or session) manages them; an API key is not a user.
import { ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
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

export async function createPat(
  actor: Principal,
  input: { name: string; expiresAt?: string },
  deps: { identity: IdentityStore; now: () => Date },
  /** Only for bootstrapping a deployment with an operator-chosen token; normally generated. */
  secret = generateSecret('pat'),
): Promise<{ token: PatView; secret: string }> {
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
  return { token: viewPat(record), secret };
}

export async function revokePat(actor: Principal, patId: string, deps: { identity: IdentityStore }): Promise<void> {
  const userId = requireUser(actor);
  if (!(await deps.identity.deletePat(userId, actor.orgId, patId))) throw new NotFoundError(`Token ${patId} not found`);
}
