// The meta group as its Lambda runs it, where it has no table and no secret (infra/route-access.ts):
// this tier sets neither TABLE_NAME nor a session secret, so a route that built the adapters, or
// looked a credential up, would answer 500 here.
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { expect, it } from 'vitest';
import manifest from '../../../package.json' with { type: 'json' };
import { handler } from './handler.ts';

const context = { awsRequestId: 'lambda-1', functionName: 'hg-meta', getRemainingTimeInMillis: () => 10_000 } as unknown as Parameters<typeof handler>[1];
const get = (resource: string, headers: Record<string, string> = {}) =>
  handler({ httpMethod: 'GET', resource, path: resource, headers, requestContext: { requestId: 'apigw-1' } } as unknown as APIGatewayProxyEvent, context);

it('answers health with the package version and nothing else, without a table', async () => {
  expect(process.env.TABLE_NAME).toBeUndefined();
  const response = await get('/api/health');
  expect([response.statusCode, JSON.parse(response.body)]).toEqual([200, { status: 'ok', version: manifest.version }]);
});

it('ignores a credential sent to a public route, even one that is not valid', async () => {
  const credentials: Record<string, string>[] = [
    { 'X-API-Key': 'hg_ak_nothex' },
    { Authorization: 'Basic Zm9vOmJhcg==' },
    { Cookie: 'next-auth.session-token=tampered' },
  ];
  for (const headers of credentials) {
    expect((await get('/api/health', headers)).statusCode).toBe(200);
  }
});

it('serves the document with an ETag, and 304 to a client that has it', async () => {
  const first = await get('/api/openapi.json');
  expect(first.statusCode).toBe(200);
  expect(first.headers).toMatchObject({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'public, max-age=300' });
  expect(JSON.parse(first.body)).toMatchObject({ openapi: '3.1.0', info: { title: 'HarborGuard API', version: manifest.version } });
  const etag = String(first.headers!.ETag);
  expect(etag).toMatch(/^W\/".+"$/);
  const again = await get('/api/openapi.json', { 'If-None-Match': etag });
  expect([again.statusCode, again.body]).toEqual([304, '']);
  expect((await get('/api/openapi.json', { 'If-None-Match': 'W/"other"' })).statusCode).toBe(200);
});
