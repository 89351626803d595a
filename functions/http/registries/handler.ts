// Route group: an organisation's private-registry settings (admin), and the running scanner
// task's read of its own scan's registry credentials. The only function that can open sealed
// passwords (infra/route-access.ts grants it the key).
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

const hostParam = (context: RouteContext) => parseRegistryHost(context.event.pathParameters?.host ?? '');

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/registries',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle({ principal, deps }) {
      return json(200, { data: await listRegistrySettings(principal, deps) });
    },
  },
  {
    method: 'PUT',
    resource: '/api/registries/{host}',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
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
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      return json(200, { data: await getRegistrySettings(context.principal, hostParam(context), context.deps) });
    },
  },
  {
    method: 'DELETE',
    resource: '/api/registries/{host}',
    access: { minRole: 'admin', credentials: ['session', 'pat', 'api_key'] },
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
    async handle(context) {
      return json(200, { data: await registryCredentialsForScan(context.principal, scanIdParam(context), context.deps) });
    },
  },
];

export const handler = httpHandler(routes);
