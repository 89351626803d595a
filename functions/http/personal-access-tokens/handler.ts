// Route group: a user's own personal access tokens (PAT or session only).
import { createPat, requireUser, revokePat, viewPat } from '#domain/identity/personal-access-tokens.ts';
import { CREDENTIAL_CREATION } from '#domain/rate-limit/rate-limiter.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { newPatBody } from '../identity-schemas.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/personal-access-tokens',
    access: { minRole: 'viewer', credentials: ['session', 'pat'] },
    rateLimit: CREDENTIAL_CREATION,
    async handle({ event, principal, deps }) {
      const { token, secret } = await createPat(principal, jsonBody(event, newPatBody, 16 * 1024), deps);
      return json(201, { data: { ...token, token: secret } });
    },
  },
  {
    method: 'GET',
    resource: '/api/personal-access-tokens',
    access: { minRole: 'viewer', credentials: ['session', 'pat'] },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listPats(requireUser(principal), principal.orgId)).map(viewPat) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/personal-access-tokens/{tokenId}',
    access: { minRole: 'viewer', credentials: ['session', 'pat'] },
    async handle(context) {
      const tokenId = pathParameter(context, 'tokenId', /^pat-[a-z0-9]{1,64}$/, 'Token');
      await revokePat(context.principal, tokenId, context.deps);
      return json(200, { data: { id: tokenId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
