// The OpenAPI 3.1 document of every route in ROUTE_GROUPS, from the routes' own declarations:
// access, rate limit and `doc` (route-doc.ts), whose request schemas are those the routes
// validate with. Imported by the meta group only, so that no other function loads it.
import type * as z from '#shared/validation.ts';
import { isPublicRoute } from '../access.ts';
import { namedSchemas } from '../api-schemas.ts';
import type { AnyRoute } from '../route.ts';
import type { RouteGroup } from '../route-groups.ts';
import { inputSchema, responseSchemas, type JsonSchema, type ResponseSchemas } from './json-schemas.ts';
import { accessSentence, operationSecurity, SECURITY_SCHEMES } from './operation-access.ts';
import { operationErrors } from './operation-errors.ts';

export interface DocumentOptions {
  version: string;
  /** The document's `webhooks`: Path Item objects by event name (webhook-events.ts). */
  webhooks?: Record<string, unknown>;
}

export type OpenApiDocument = Record<string, unknown> & { paths: Record<string, Record<string, Operation>> };
interface Response {
  description: string;
  headers?: Record<string, unknown>;
  content?: Record<string, { schema: JsonSchema }>;
}
export type Operation = Record<string, unknown> & { responses: Record<string, Response> };

const HEADERS = {
  RetryAfter: { description: 'Seconds until a request may succeed again', schema: { type: 'integer' } },
  RateLimitPolicy: { description: 'The limit that applies: "<name>";q=<requests>;w=<seconds>', schema: { type: 'string' } },
  RateLimit: { description: 'What is left of it: "<name>";r=<remaining>;t=<seconds until reset>', schema: { type: 'string' } },
};
const header = (name: keyof typeof HEADERS) => ({ $ref: `#/components/headers/${name}` });
const rateLimitHeaders = { 'RateLimit-Policy': header('RateLimitPolicy'), RateLimit: header('RateLimit') };
const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };

/** Path or query parameters from an object schema: one per property. */
function parameters(schema: z.ZodMiniType | undefined, where: 'path' | 'query') {
  if (!schema) return [];
  const { properties = {}, required = [] } = inputSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return { name, in: where, required: where === 'path' || required.includes(name), ...(description ? { description } : {}), schema: rest };
  });
}

function operation(route: AnyRoute, schemas: ResponseSchemas): Operation {
  const { doc } = route;
  const rateLimit = isPublicRoute(route) ? undefined : route.rateLimit;
  const description = [
    doc.description,
    accessSentence(route.access),
    rateLimit ? `Rate limited: ${rateLimit.limit} requests per ${rateLimit.windowSeconds} s per credential (per user behind a PAT or session).` : undefined,
  ].filter(Boolean);
  const responses: Operation['responses'] = {};
  for (const [status, response] of Object.entries(doc.responses)) {
    const types = response.contentType ?? ['application/json'];
    responses[status] = {
      description: response.description,
      ...(rateLimit ? { headers: rateLimitHeaders } : {}),
      content: Object.fromEntries(types.map((type) => [type, { schema: schemas.of(response.schema) }])),
    };
  }
  for (const [status, text] of Object.entries(operationErrors(route))) {
    const headers = status === '429' ? { 'Retry-After': header('RetryAfter'), ...rateLimitHeaders } : undefined;
    responses[status] = { description: text, ...(headers ? { headers } : {}), content: errorContent };
  }
  return {
    summary: doc.summary,
    description: description.join('\n\n'),
    operationId: `${route.method.toLowerCase()}${route.resource.replace(/\{(\w+)\}/g, 'By-$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())}`,
    tags: [...doc.tags],
    security: operationSecurity(route.access),
    'x-harborguard-access': route.access,
    ...(rateLimit ? { 'x-harborguard-rate-limit': rateLimit } : {}),
    parameters: [...parameters(doc.params, 'path'), ...parameters(doc.query, 'query')],
    ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: inputSchema(doc.body) } } } } : {}),
    responses,
  };
}

export function openApiDocument(groups: readonly RouteGroup[], options: DocumentOptions): OpenApiDocument {
  const routes = groups.flatMap((group) => group.routes);
  const schemas = responseSchemas(
    namedSchemas(),
    routes.flatMap((route) => Object.values(route.doc.responses).map((response) => response.schema)),
  );
  const paths: OpenApiDocument['paths'] = {};
  for (const route of routes) (paths[route.resource] ??= {})[route.method.toLowerCase()] = operation(route, schemas);
  return {
    openapi: '3.1.0',
    info: {
      title: 'HarborGuard API',
      version: options.version,
      description: 'Container-security control plane. Every error answers with the Error body; docs/API.md describes the API in prose.',
    },
    servers: [{ url: '/' }],
    paths,
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    components: { schemas: schemas.components, securitySchemes: SECURITY_SCHEMES, headers: HEADERS },
  };
}
