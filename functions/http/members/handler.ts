// Route group: organisation members (admin): add by email, change role, remove.
import type { Membership } from '#domain/identity/identity-store.ts';
import { addMember, changeMemberRole, removeMember } from '#domain/identity/members.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { memberRoleBody, newMemberBody } from '../identity-schemas.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route, type RouteContext } from '../route.ts';

const memberView = ({ userId, email, role, addedAt, updatedAt }: Membership) => ({ userId, email, role, addedAt, updatedAt });

const userIdOf = (context: RouteContext) => pathParameter(context, 'userId', /^usr-[a-z0-9]{1,64}$/, 'Member');

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/members',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listMembers(principal.orgId)).map(memberView) });
    },
  },
  {
    method: 'POST',
    resource: '/api/members',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ event, principal, deps }) {
      return json(201, { data: memberView(await addMember(principal, jsonBody(event, newMemberBody, 16 * 1024), deps)) });
    },
  },
  {
    method: 'PATCH',
    resource: '/api/members/{userId}',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const { role } = jsonBody(context.event, memberRoleBody, 16 * 1024);
      return json(200, { data: memberView(await changeMemberRole(context.principal, userIdOf(context), role, context.deps)) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/members/{userId}',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const userId = userIdOf(context);
      await removeMember(context.principal, userId, context.deps);
      return json(200, { data: { userId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
