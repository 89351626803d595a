// Organisation membership: admins add users by email, change roles and remove members.
// Nobody grants a role above their own or changes a member who outranks them.
import { ConflictError, ForbiddenError, NotFoundError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { IdentityStore, Membership } from './identity-store.ts';
import type { Principal } from './principal.ts';
import { hasRole, type Role } from './roles.ts';

interface Deps {
  identity: IdentityStore;
  now: () => Date;
}

function assertMayGrant(actor: Principal, role: Role): void {
  if (!hasRole(actor.role, role)) throw new ForbiddenError(`Cannot grant the role ${role}: it is above your own (${actor.role})`);
}

async function existingMember(actor: Principal, userId: string, deps: Deps): Promise<Membership> {
  const member = await deps.identity.getMembership(actor.orgId, userId);
  if (!member) throw new NotFoundError(`Member ${userId} not found`);
  if (!hasRole(actor.role, member.role)) throw new ForbiddenError(`Cannot change a member whose role (${member.role}) is above your own`);
  return member;
}

export async function addMember(actor: Principal, input: { email: string; role: Role }, deps: Deps): Promise<Membership> {
  assertMayGrant(actor, input.role);
  const at = deps.now().toISOString();
  const user = await deps.identity.ensureUser({ id: newId('usr'), email: input.email.toLowerCase(), createdAt: at });
  const membership: Membership = { orgId: actor.orgId, userId: user.id, email: user.email, role: input.role, addedAt: at, updatedAt: at };
  if (!(await deps.identity.addMembership(membership))) throw new ConflictError(`${user.email} is already a member`);
  return membership;
}

export async function changeMemberRole(actor: Principal, userId: string, role: Role, deps: Deps): Promise<Membership> {
  await existingMember(actor, userId, deps);
  assertMayGrant(actor, role);
  const updated = await deps.identity.updateMembershipRole(actor.orgId, userId, role, deps.now().toISOString());
  if (!updated) throw new NotFoundError(`Member ${userId} not found`);
  return updated;
}

/**
 * Removes the member. Authentication checks membership on every request, so their PATs and
 * sessions stop at once; the PATs are then deleted so they never revive if the user returns.
 */
export async function removeMember(actor: Principal, userId: string, deps: Deps): Promise<void> {
  await existingMember(actor, userId, deps);
  if (!(await deps.identity.deleteMembership(actor.orgId, userId))) throw new NotFoundError(`Member ${userId} not found`);
  for (const pat of await deps.identity.listPats(userId, actor.orgId)) {
    await deps.identity.deletePat(userId, actor.orgId, pat.id);
  }
}
