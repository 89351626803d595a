// Organisation membership: admins add users by email, change roles and remove members.
// Nobody grants a role above their own or changes a member who outranks them, and an
// organisation that has an owner keeps one. Every change is audited.
import { ConflictError, ForbiddenError, NotFoundError } from '#shared/errors.ts';
import { newId } from '../ids.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import type { IdentityStore, Membership, MembershipGuard } from './identity-store.ts';
import type { Principal } from './principal.ts';
import { hasRole, type Role } from './roles.ts';

interface Deps {
  identity: IdentityStore;
  triage: Pick<TriageStore, 'appendAudit'>;
  now: () => Date;
}

/** A change decided on a read is written conditional on that read; a lost race decides again. */
const ATTEMPTS = 5;

function assertMayGrant(actor: Principal, role: Role): void {
  if (!hasRole(actor.role, role)) throw new ForbiddenError(`Cannot grant the role ${role}: it is above your own (${actor.role})`);
}

async function existingMember(actor: Principal, userId: string, deps: Deps): Promise<Membership> {
  const member = await deps.identity.getMembership(actor.orgId, userId);
  if (!member) throw new NotFoundError(`Member ${userId} not found`);
  if (!hasRole(actor.role, member.role)) throw new ForbiddenError(`Cannot change a member whose role (${member.role}) is above your own`);
  return member;
}

/** The guard for a change that leaves `member` without the owner role, if it has it. */
async function guardFor(actor: Principal, member: Membership, newRole: Role | undefined, deps: Deps): Promise<MembershipGuard> {
  if (member.role !== 'owner' || newRole === 'owner') return { role: member.role };
  const otherOwner = (await deps.identity.listMembers(actor.orgId)).find((m) => m.role === 'owner' && m.userId !== member.userId);
  if (!otherOwner) throw new ConflictError('The organisation must keep an owner: make another member owner first');
  return { role: member.role, otherOwner: otherOwner.userId };
}

const concurrentChange = (userId: string) => new ConflictError(`Member ${userId} was changed by another request at the same time; try again`);

export async function addMember(actor: Principal, input: { email: string; role: Role }, deps: Deps): Promise<Membership> {
  assertMayGrant(actor, input.role);
  const at = deps.now().toISOString();
  const user = await deps.identity.ensureUser({ id: newId('usr'), email: input.email.toLowerCase(), createdAt: at });
  const membership: Membership = { orgId: actor.orgId, userId: user.id, email: user.email, role: input.role, addedAt: at, updatedAt: at };
  if (!(await deps.identity.addMembership(membership))) throw new ConflictError(`${user.email} is already a member`);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, deps.now()),
    action: 'member.add',
    target: user.id,
    after: { email: user.email, role: input.role },
  });
  return membership;
}

export async function changeMemberRole(actor: Principal, userId: string, role: Role, deps: Deps): Promise<Membership> {
  assertMayGrant(actor, role);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const member = await existingMember(actor, userId, deps);
    const updated = await deps.identity.updateMembershipRole(actor.orgId, userId, role, deps.now().toISOString(), await guardFor(actor, member, role, deps));
    if (updated) {
      await deps.triage.appendAudit(actor.orgId, {
        ...auditOrigin(actor, deps.now()),
        action: 'member.role',
        target: userId,
        before: { role: member.role },
        after: { role },
      });
      return updated;
    }
  }
  throw concurrentChange(userId);
}

/**
 * Removes the member. Authentication checks membership on every request, so their PATs and
 * sessions stop at once; the PATs are then deleted so they never revive if the user returns.
 */
export async function removeMember(actor: Principal, userId: string, deps: Deps): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const member = await existingMember(actor, userId, deps);
    if (!(await deps.identity.deleteMembership(actor.orgId, userId, await guardFor(actor, member, undefined, deps)))) continue;
    const pats = await deps.identity.listPats(userId, actor.orgId);
    for (const pat of pats) await deps.identity.deletePat(userId, actor.orgId, pat.id);
    await deps.triage.appendAudit(actor.orgId, {
      ...auditOrigin(actor, deps.now()),
      action: 'member.remove',
      target: userId,
      before: { email: member.email, role: member.role },
      after: { revokedTokens: pats.map((pat) => pat.id) },
    });
    return;
  }
  throw concurrentChange(userId);
}
