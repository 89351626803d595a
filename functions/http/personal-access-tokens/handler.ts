// Route group: a user's own personal access tokens (PAT or session only).
import { createPat, requireUser, revokePat, viewPat } from '#domain/identity/personal-access-tokens.ts';
import { CREDENTIAL_CREATION } from '#domain/rate-limit/rate-limiter.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { newPatBody } from '../identity-schemas.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import * as z from '#shared/validation.ts';
import { dataOf, deletedOf, idParam } from '../api-schemas.ts';
import { newPatSchema, patSchema } from '../identity-schemas.ts';

const tags = ['Personal access tokens'] as const;
const USERS = { minRole: 'viewer', credentials: ['session', 'pat'] } as const;
const TOKEN_ID = /^pat-[a-z0-9]{1,64}$/;

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/personal-access-tokens',
    access: USERS,
    rateLimit: CREDENTIAL_CREATION,
    doc: {
      summary: 'Create a personal access token',
      description: "A token of the calling user, acting with the user's role in the organisation. The secret is in this answer only.",
      tags,
      body: newPatBody,
      responses: { 201: { description: 'The token, with its secret', schema: dataOf(newPatSchema) } },
    },
    async handle({ event, principal, deps }) {
      const { token, secret } = await createPat(principal, jsonBody(event, newPatBody, 16 * 1024), deps);
      return json(201, { data: { ...token, token: secret } });
    },
  },
  {
    method: 'GET',
    resource: '/api/personal-access-tokens',
    access: USERS,
    doc: {
      summary: "List the caller's personal access tokens",
      tags,
      responses: { 200: { description: 'The tokens, without secrets', schema: dataOf(z.array(patSchema)) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listPats(requireUser(principal), principal.orgId)).map(viewPat) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/personal-access-tokens/{tokenId}',
    access: USERS,
    doc: {
      summary: 'Revoke a personal access token',
      tags,
      params: z.object({ tokenId: idParam(TOKEN_ID, 'The token, e.g. pat-3kp9q1') }),
      responses: { 200: { description: 'Revoked', schema: deletedOf('id') } },
    },
    async handle(context) {
      const tokenId = pathParameter(context, 'tokenId', TOKEN_ID, 'Token');
      await revokePat(context.principal, tokenId, context.deps);
      return json(200, { data: { id: tokenId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
