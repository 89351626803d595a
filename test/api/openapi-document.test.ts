// The generated OpenAPI document: valid OpenAPI 3.1, every declared route in it with a summary and
// a schema for each success, security and refusals as each route's declaration says; and the
// check every API test's answers go through (test/support/documented-responses.ts) refuses what
// the document does not describe.
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument, type Operation } from '../../functions/http/openapi/openapi-document.ts';
import { webhookPathItems } from '../../functions/http/openapi/webhook-events.ts';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';
import { EVENT_TYPE_NAMES } from '../../functions/domain/webhooks/event-types.ts';
import { checkDocumentedResponse } from '../support/documented-responses.ts';

const document = openApiDocument(ROUTE_GROUPS, { version: '9.9.9' });
const ROUTES = ROUTE_GROUPS.flatMap((group) => group.routes);
const operationOf = (method: string, resource: string): Operation => document.paths[resource]![method.toLowerCase()]!;

it('is a valid OpenAPI 3.1 document', async () => {
  const result = await new Validator().validate(document);
  expect(result.errors ?? []).toEqual([]);
  expect(result.valid).toBe(true);
  expect(document).toMatchObject({ openapi: '3.1.0', info: { title: 'HarborGuard API', version: '9.9.9' }, servers: [{ url: '/' }] });
});

it('describes every webhook event type in its webhooks section, and stays valid with it', async () => {
  const withWebhooks = openApiDocument(ROUTE_GROUPS, { version: '9.9.9', webhooks: webhookPathItems() });
  const result = await new Validator().validate(withWebhooks);
  expect(result.errors ?? []).toEqual([]);
  expect(Object.keys(withWebhooks.webhooks as object).sort()).toEqual([...EVENT_TYPE_NAMES].sort());
  const completed = (withWebhooks.webhooks as any)['scan.completed'].post;
  expect(completed.requestBody.content['application/json'].schema.properties.type).toEqual({ type: 'string', const: 'scan.completed' });
  expect(completed.parameters.map((p: { name: string }) => p.name)).toContain('webhook-signature');
});

it('has exactly the operations of ROUTE_GROUPS', () => {
  const documented = Object.entries(document.paths).flatMap(([resource, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${resource}`));
  expect(documented.sort()).toEqual(ROUTES.map((route) => `${route.method} ${route.resource}`).sort());
});

describe.each(ROUTES.map((route) => [`${route.method} ${route.resource}`, route] as const))('%s', (_name, route) => {
  // The type requires `doc`; these hold what a type cannot: words in the summary, a schema per success.
  it('has a summary and a schema for every success it documents, and at least one', () => {
    expect(route.doc.summary.trim()).not.toBe('');
    const successes = Object.entries(operationOf(route.method, route.resource).responses).filter(([status]) => /^2/.test(status));
    expect(successes.length).toBeGreaterThan(0);
    for (const [status, response] of successes) {
      expect(Object.keys(response.content ?? {}), status).not.toHaveLength(0);
      for (const media of Object.values(response.content!)) expect(media.schema, status).toBeTypeOf('object');
    }
  });

  it('states its access as security, an extension and a sentence', () => {
    const operation = operationOf(route.method, route.resource);
    expect(operation['x-harborguard-access']).toEqual(route.access);
    if ('public' in route.access) {
      expect(operation.security).toEqual([]);
      // A self-verified route (a registry hook) refuses a missing or wrong secret of its own with 401.
      expect(Object.keys(operation.responses).includes('401')).toBe('verifiedBy' in route.access);
      return;
    }
    const schemes = (operation.security as object[]).flatMap((requirement) => Object.keys(requirement));
    const kinds: readonly string[] = route.access.credentials;
    expect(schemes.includes('session')).toBe(kinds.includes('session'));
    expect(schemes.includes('bearer')).toBe(true);
    expect(schemes.includes('apiKey')).toBe(kinds.some((kind) => kind !== 'session' && kind !== 'pat'));
    if ('minRole' in route.access) expect(operation.description).toContain(`at least the ${route.access.minRole} role`);
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['401', '403', '429']));
  });
});

it('derives refusals from inputs and limits: 400/413/415 with a body, 404 with an id, 429 headers with a rate limit', () => {
  const submit = operationOf('POST', '/api/scans');
  expect(Object.keys(submit.responses)).toEqual(expect.arrayContaining(['202', '400', '409', '413', '415', '422', '429']));
  expect(Object.keys(submit.responses)).not.toContain('404');
  expect(submit['x-harborguard-rate-limit']).toMatchObject({ name: 'scans' });
  expect(Object.keys(submit.responses['429']!.headers!)).toEqual(['Retry-After', 'RateLimit-Policy', 'RateLimit']);
  const detail = operationOf('GET', '/api/scans/{scanId}');
  expect(Object.keys(detail.responses)).toEqual(expect.arrayContaining(['200', '404']));
  expect(Object.keys(detail.responses)).not.toContain('400');
  expect(detail.responses['404']!.content!['application/json']!.schema).toEqual({ $ref: '#/components/schemas/Error' });
  expect(Object.keys(detail.responses)).toContain('406');
  expect(Object.keys(operationOf('GET', '/api/scans/{scanId}/status').responses)).not.toContain('406');
});

it('names shared shapes once, as components', () => {
  const names = Object.keys((document.components as { schemas: object }).schemas);
  expect(names).toEqual(expect.arrayContaining(['Error', 'Scan', 'ScanListItem', 'Finding', 'ScanStatus']));
  expect(JSON.stringify(operationOf('GET', '/api/scans/{scanId}/vulnerabilities').responses['200'])).toContain('#/components/schemas/Finding');
});

it('takes webhooks when given, and has none otherwise', () => {
  expect(document).not.toHaveProperty('webhooks');
  const event = { post: { responses: { '200': { description: 'Received' } } } };
  expect(openApiDocument(ROUTE_GROUPS, { version: '1', webhooks: { 'scan.completed': event } }).webhooks).toEqual({ 'scan.completed': event });
});

describe('the response check of the API tests', () => {
  const status = { id: 'scn-abc', status: 'QUEUED', updatedAt: '2026-01-01T00:00:00.000Z' };

  it('passes a body as documented, and skips routes the API does not have', () => {
    expect(() => checkDocumentedResponse('GET', '/api/scans/scn-abc/status?x=1', 200, { data: status })).not.toThrow();
    expect(() => checkDocumentedResponse('GET', '/api/nothing-here', 404, 'anything')).not.toThrow();
    expect(() => checkDocumentedResponse('PATCH', '/api/scans', 405, 'anything')).not.toThrow();
  });

  it('names the route, the status and the first error of a body the schema refuses', () => {
    expect(() => checkDocumentedResponse('GET', '/api/scans/scn-abc/status', 200, { data: { ...status, status: 'DONE' } })).toThrow(
      /^GET \/api\/scans\/\{scanId\}\/status answered 200 with a body its documented schema refuses: \/data\/status must be equal to one of the allowed values/,
    );
    expect(() => checkDocumentedResponse('GET', '/api/scans/scn-abc/status', 200, { data: { ...status, extra: 1 } })).toThrow(/additional properties/);
    expect(() => checkDocumentedResponse('GET', '/api/scans/scn-abc/status', 404, { error: { code: 'NOT_FOUND' } })).toThrow(
      /must have required property 'message'/,
    );
  });

  it('refuses a status the route does not document', () => {
    expect(() => checkDocumentedResponse('GET', '/api/scans/scn-abc/status', 201, { data: status })).toThrow(
      /answered 201, which its OpenAPI description does not document/,
    );
  });

  it('matches static resources before parameters, as API Gateway does', () => {
    expect(() =>
      checkDocumentedResponse('POST', '/api/scans/upload-url', 201, {
        data: { url: 'https://s3.test/x', method: 'PUT', envelopeS3Key: 'k', expiresAt: '2026-01-01T00:00:00Z' },
      }),
    ).not.toThrow();
  });
});
