// Route group: organisation members (admin): add by email, change role, remove.
import type { Membership } from '#domain/identity/identity-store.ts';
import { addMember, changeMemberRole, removeMember } from '#domain/identity/members.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { memberRoleBody, newMemberBody } from '../identity-schemas.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route, type RouteContext } from '../route.ts';
import * as z from '#shared/validation.ts';
import { dataOf, deletedOf, idParam } from '../api-schemas.ts';
import { memberSchema } from '../identity-schemas.ts';

const tags = ['Members'] as const;
const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;

const memberView = ({ userId, email, role, addedAt, updatedAt }: Membership) => ({ userId, email, role, addedAt, updatedAt });

const USER_ID = /^usr-[a-z0-9]{1,64}$/;
const userIdOf = (context: RouteContext) => pathParameter(context, 'userId', USER_ID, 'Member');
const userIdParams = z.object({ userId: idParam(USER_ID, 'The member, e.g. usr-3kp9q1') });

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/members',
    access: ADMINS,
    doc: { summary: "List the organisation's members", tags, responses: { 200: { description: 'The members', schema: dataOf(z.array(memberSchema)) } } },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listMembers(principal.orgId)).map(memberView) });
    },
  },
  {
    method: 'POST',
    resource: '/api/members',
    access: ADMINS,
    doc: {
      summary: 'Add a member',
      description: 'Adds a user by email with a role; the user is created on first sight.',
      tags,
      body: newMemberBody,
      responses: { 201: { description: 'The membership', schema: dataOf(memberSchema) } },
      refusals: { 409: 'The user is already a member' },
    },
    async handle({ event, principal, deps }) {
      return json(201, { data: memberView(await addMember(principal, jsonBody(event, newMemberBody, 16 * 1024), deps)) });
    },
  },
  {
    method: 'PATCH',
    resource: '/api/members/{userId}',
    access: ADMINS,
    doc: {
      summary: "Change a member's role",
      description: 'Only an owner may make or unmake owners; the organisation keeps at least one owner.',
      tags,
      params: userIdParams,
      body: memberRoleBody,
      responses: { 200: { description: 'The membership', schema: dataOf(memberSchema) } },
      refusals: { 409: 'The last owner would be demoted, or another request changed the member meanwhile' },
    },
    async handle(context) {
      const { role } = jsonBody(context.event, memberRoleBody, 16 * 1024);
      return json(200, { data: memberView(await changeMemberRole(context.principal, userIdOf(context), role, context.deps)) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/members/{userId}',
    access: ADMINS,
    doc: {
      summary: 'Remove a member',
      tags,
      params: userIdParams,
      responses: { 200: { description: 'Removed', schema: deletedOf('userId') } },
      refusals: { 409: 'The last owner would be removed, or another request changed the member meanwhile' },
    },
    async handle(context) {
      const userId = userIdOf(context);
      await removeMember(context.principal, userId, context.deps);
      return json(200, { data: { userId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
