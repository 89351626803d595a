// Route group: organisation API keys (admin). The secret is in the creation response only.
import { NotFoundError } from '#domain/errors.ts';
import { createApiKey, revokeApiKey, viewApiKey } from '#domain/identity/api-keys.ts';
import { CREDENTIAL_CREATION } from '#domain/rate-limit/rate-limiter.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { newApiKeyBody, pathId } from '../identity-schemas.ts';
import { httpHandler, type Route } from '../route.ts';

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/api-keys',
    access: { minRole: 'admin' },
    rateLimit: CREDENTIAL_CREATION,
    async handle({ event, principal, deps }) {
      const { key, secret } = await createApiKey(principal, jsonBody(event, newApiKeyBody, 16 * 1024), deps);
      return json(201, { data: { ...key, key: secret } });
    },
  },
  {
    method: 'GET',
    resource: '/api/api-keys',
    access: { minRole: 'admin' },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listApiKeys(principal.orgId)).map(viewApiKey) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/api-keys/{keyId}',
    access: { minRole: 'admin' },
    async handle({ event, principal, deps }) {
      const keyId = pathId(event.pathParameters?.keyId, /^ak-[a-z0-9]{1,64}$/);
      if (!keyId) throw new NotFoundError('API key not found');
      await revokeApiKey(principal, keyId, deps);
      return json(200, { data: { id: keyId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
