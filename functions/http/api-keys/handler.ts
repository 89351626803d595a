// Route group: organisation API keys (admin). The secret is in the creation response only.
import { createApiKey, revokeApiKey, viewApiKey } from '#domain/identity/api-keys.ts';
import { CREDENTIAL_CREATION } from '#domain/rate-limit/rate-limiter.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { newApiKeyBody } from '../identity-schemas.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/api-keys',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    rateLimit: CREDENTIAL_CREATION,
    async handle({ event, principal, deps }) {
      const { key, secret } = await createApiKey(principal, jsonBody(event, newApiKeyBody, 16 * 1024), deps);
      return json(201, { data: { ...key, key: secret } });
    },
  },
  {
    method: 'GET',
    resource: '/api/api-keys',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listApiKeys(principal.orgId)).map(viewApiKey) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/api-keys/{keyId}',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const keyId = pathParameter(context, 'keyId', /^ak-[a-z0-9]{1,64}$/, 'API key');
      await revokeApiKey(context.principal, keyId, context.deps);
      return json(200, { data: { id: keyId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
