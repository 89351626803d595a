// Route group: an organisation's private-registry settings (admin), and the running scanner
// task's read of its own scan's registry credentials. The only route group that opens sealed
// passwords (infra/route-access.ts grants it the key; the webhook groups hold it for their own
// secrets, sealed under another context).
import { parseRegistryHost } from '#shared/image-reference/image-reference.ts';
import {
  deleteRegistrySettings,
  getRegistrySettings,
  listRegistrySettings,
  putRegistrySettings,
  registryCredentialsForScan,
  registrySettingsSchema,
} from '#domain/registries/manage-registries.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route, type RouteContext } from '../route.ts';
import * as z from '#shared/validation.ts';
import { dataOf, deletedOf, isoTime, named } from '../api-schemas.ts';
import { scanIdParams } from '../scans/scan-schemas.ts';

const tags = ['Registries'] as const;
const ADMINS = { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] } as const;
const hostParams = z.object({ host: z.string().check(z.describe('The registry host, with its port if not 443, e.g. ghcr.io or registry.acme.test:5000')) });
const registrySchema = named(
  'Registry',
  z.object({
    host: z.string(),
    username: z.nullable(z.string()),
    hasPassword: z.boolean(),
    allowPlainHttp: z.boolean(),
    tokenRealms: z.array(z.string()),
    createdAt: isoTime,
    updatedAt: isoTime,
    updatedBy: z.string(),
  }),
);

const hostParam = (context: RouteContext) => parseRegistryHost(context.event.pathParameters?.host ?? '');

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/registries',
    access: ADMINS,
    doc: {
      summary: "List the organisation's private registries",
      tags,
      responses: { 200: { description: 'Their settings, without passwords', schema: dataOf(z.array(registrySchema)) } },
    },
    async handle({ principal, deps }) {
      return json(200, { data: await listRegistrySettings(principal, deps) });
    },
  },
  {
    method: 'PUT',
    resource: '/api/registries/{host}',
    access: ADMINS,
    doc: {
      summary: "Set a registry's credentials and settings",
      description: 'The password is sealed at rest and never returned; scanner tasks of scans of this registry receive it.',
      tags,
      params: hostParams,
      body: registrySettingsSchema,
      responses: {
        200: { description: 'Updated', schema: dataOf(registrySchema) },
        201: { description: 'Created', schema: dataOf(registrySchema) },
      },
    },
    async handle(context) {
      const host = hostParam(context);
      const change = jsonBody(context.event, registrySettingsSchema, 16 * 1024);
      const { settings, created } = await putRegistrySettings(context.principal, host, change, context.deps);
      return json(created ? 201 : 200, { data: settings });
    },
  },
  {
    method: 'GET',
    resource: '/api/registries/{host}',
    access: ADMINS,
    doc: {
      summary: "Get a registry's settings",
      tags,
      params: hostParams,
      responses: { 200: { description: 'Its settings', schema: dataOf(registrySchema) } },
    },
    async handle(context) {
      return json(200, { data: await getRegistrySettings(context.principal, hostParam(context), context.deps) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/registries/{host}',
    access: ADMINS,
    doc: { summary: "Delete a registry's settings", tags, params: hostParams, responses: { 200: { description: 'Deleted', schema: deletedOf('host') } } },
    async handle(context) {
      const host = hostParam(context);
      await deleteRegistrySettings(context.principal, host, context.deps);
      return json(200, { data: { host, deleted: true } });
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/registry-credentials',
    access: { credentials: ['task'] },
    doc: {
      summary: "The running scan's registry credentials",
      description: "For the scanner task of that scan only, while it runs: the credentials of the image's registry.",
      tags: ['Scanner'],
      params: scanIdParams,
      responses: {
        200: {
          description: 'The credentials',
          schema: dataOf(z.object({ host: z.string(), username: z.string(), password: z.string(), tokenRealms: z.array(z.string()) })),
        },
      },
    },
    async handle(context) {
      return json(200, { data: await registryCredentialsForScan(context.principal, scanIdParam(context), context.deps) });
    },
  },
];

export const handler = httpHandler(routes);
