// Route group: organisation API keys (admin). The secret is in the creation response only.
import { createApiKey, revokeApiKey, viewApiKey } from '#domain/identity/api-keys.ts';
import { CREDENTIAL_CREATION } from '#domain/rate-limit/rate-limiter.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { newApiKeyBody } from '../identity-schemas.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import * as z from '#shared/validation.ts';
import { dataOf, deletedOf, idParam } from '../api-schemas.ts';
import { apiKeySchema, newApiKeySchema } from '../identity-schemas.ts';

const tags = ['API keys'] as const;
const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;
const KEY_ID = /^ak-[a-z0-9]{1,64}$/;

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/api-keys',
    access: ADMINS,
    rateLimit: CREDENTIAL_CREATION,
    doc: {
      summary: 'Create an API key',
      description: 'The secret is in this answer only. `sensor: true` makes a key that can upload scan results and nothing else.',
      tags,
      body: newApiKeyBody,
      responses: { 201: { description: 'The key, with its secret', schema: dataOf(newApiKeySchema) } },
    },
    async handle({ event, principal, deps }) {
      const { key, secret } = await createApiKey(principal, jsonBody(event, newApiKeyBody, 16 * 1024), deps);
      return json(201, { data: { ...key, key: secret } });
    },
  },
  {
    method: 'GET',
    resource: '/api/api-keys',
    access: ADMINS,
    doc: {
      summary: "List the organisation's API keys",
      tags,
      responses: { 200: { description: 'The keys, without secrets', schema: dataOf(z.array(apiKeySchema)) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: (await deps.identity.listApiKeys(principal.orgId)).map(viewApiKey) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/api-keys/{keyId}',
    access: ADMINS,
    doc: {
      summary: 'Revoke an API key',
      tags,
      params: z.object({ keyId: idParam(KEY_ID, 'The key, e.g. ak-3kp9q1') }),
      responses: { 200: { description: 'Revoked', schema: deletedOf('id') } },
    },
    async handle(context) {
      const keyId = pathParameter(context, 'keyId', KEY_ID, 'API key');
      await revokeApiKey(context.principal, keyId, context.deps);
      return json(200, { data: { id: keyId, deleted: true } });
    },
  },
];

export const handler = httpHandler(routes);
