// Route group: the organisation's registry integrations (admin): the providers whose push
// notifications start scans at POST /api/hooks/{id}, their filters and their secrets (shown
// once, at creation and rotation). Seals secrets, so it holds the registry key (infra/route-access.ts).
import {
  createIntegration,
  createIntegrationSchema,
  deleteIntegration,
  getIntegration,
  listIntegrations,
  rotateIntegrationSecret,
  updateIntegration,
  updateIntegrationSchema,
} from '#domain/integrations/manage-integrations.ts';
import { PROVIDER_KINDS } from '#domain/integrations/providers/provider.ts';
import { CREDENTIAL_CREATION } from '#domain/rate-limit/rate-limiter.ts';
import * as z from '#shared/validation.ts';
import { dataOf, deletedOf, idParam, isoTime, named } from '../api-schemas.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { pathParameter } from '../path-parameters.ts';
import { httpHandler, type Route, type RouteContext } from '../route.ts';

const tags = ['Integrations'] as const;
const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;
export const INTEGRATION_ID = /^int_[A-Za-z0-9_-]{16}$/;

const integrationParams = z.object({ integrationId: idParam(INTEGRATION_ID, 'The integration, e.g. int_Vb3kP9q1xYz0aBcD') });
const integrationSchema = named(
  'Integration',
  z.object({
    id: z.string(),
    provider: z.enum(PROVIDER_KINDS),
    providerTitle: z.string(),
    name: z.string(),
    hookUrl: z.string().check(z.describe('Where the registry sends its notifications, relative to the API base URL')),
    authentication: z.string().check(z.describe('How the registry must present the secret')),
    filters: z.object({ repositories: z.array(z.string()), tags: z.array(z.string()) }),
    scanners: z.nullable(z.array(z.string())),
    dedupWindowSeconds: z.int(),
    active: z.boolean(),
    createdAt: isoTime,
    updatedAt: isoTime,
    updatedBy: z.string(),
  }),
);
const secretField = z.string().check(z.describe('The hook secret (hg_hk_…): in this answer only'));
const integrationIdOf = (context: RouteContext) => pathParameter(context, 'integrationId', INTEGRATION_ID, 'Integration');

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/integrations',
    access: ADMINS,
    rateLimit: CREDENTIAL_CREATION,
    doc: {
      summary: 'Connect a registry: its pushes start scans',
      description: 'The secret is in this answer only; docs/INTEGRATIONS.md shows where each registry takes it.',
      tags,
      body: createIntegrationSchema,
      responses: { 201: { description: 'The integration, with its secret', schema: dataOf(z.extend(integrationSchema, { secret: secretField })) } },
    },
    async handle({ event, principal, deps }) {
      return json(201, { data: await createIntegration(principal, jsonBody(event, createIntegrationSchema, 16 * 1024), deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/integrations',
    access: ADMINS,
    doc: {
      summary: "List the organisation's registry integrations",
      tags,
      responses: { 200: { description: 'The integrations, oldest first, without secrets', schema: dataOf(z.array(integrationSchema)) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: await listIntegrations(principal, deps) });
    },
  },
  {
    method: 'GET',
    resource: '/api/integrations/{integrationId}',
    access: ADMINS,
    doc: {
      summary: 'Get an integration',
      tags,
      params: integrationParams,
      responses: { 200: { description: 'The integration', schema: dataOf(integrationSchema) } },
    },
    async handle(context) {
      return json(200, { data: await getIntegration(context.principal, integrationIdOf(context), context.deps) });
    },
  },
  {
    method: 'PATCH',
    resource: '/api/integrations/{integrationId}',
    access: ADMINS,
    doc: {
      summary: 'Change an integration',
      description: '`filters` replaces the lists it names and keeps the other.',
      tags,
      params: integrationParams,
      body: updateIntegrationSchema,
      responses: { 200: { description: 'The integration', schema: dataOf(integrationSchema) } },
    },
    async handle(context) {
      const id = integrationIdOf(context);
      return json(200, { data: await updateIntegration(context.principal, id, jsonBody(context.event, updateIntegrationSchema, 16 * 1024), context.deps) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/integrations/{integrationId}',
    access: ADMINS,
    doc: { summary: 'Delete an integration', tags, params: integrationParams, responses: { 200: { description: 'Deleted', schema: deletedOf('id') } } },
    async handle(context) {
      const id = integrationIdOf(context);
      await deleteIntegration(context.principal, id, context.deps);
      return json(200, { data: { id, deleted: true } });
    },
  },
  {
    method: 'POST',
    resource: '/api/integrations/{integrationId}/rotate-secret',
    access: ADMINS,
    rateLimit: CREDENTIAL_CREATION,
    doc: {
      summary: "Rotate an integration's secret",
      description: 'The new secret is in this answer only, and the old one stops working at once: update the registry right after.',
      tags,
      params: integrationParams,
      responses: { 200: { description: 'The new secret', schema: dataOf(z.object({ id: z.string(), secret: secretField })) } },
    },
    async handle(context) {
      return json(200, { data: await rotateIntegrationSecret(context.principal, integrationIdOf(context), context.deps) });
    },
  },
];

export const handler = httpHandler(routes);
