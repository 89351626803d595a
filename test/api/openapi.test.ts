// GET /api/openapi.json and GET /api/health through the local API Gateway, as any client calls
// them: without a credential, and with one that is not valid.
import { afterAll, beforeAll, expect, it } from 'vitest';
import manifest from '../../package.json' with { type: 'json' };
import { call } from '../support/http.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

it('answers health without a credential, and with an invalid one', async () => {
  expect(await call(stack.baseUrl, 'GET', '/api/health', { kind: 'none' })).toMatchObject({ status: 200, body: { status: 'ok', version: manifest.version } });
  expect(await call(stack.baseUrl, 'GET', '/api/health', { kind: 'bearer', value: 'hg_ak_nothex' })).toMatchObject({ status: 200 });
});

it('serves the OpenAPI document without a credential, cacheable, describing itself', async () => {
  const response = await call(stack.baseUrl, 'GET', '/api/openapi.json', { kind: 'none' });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.get('cache-control')).toBe('public, max-age=300');
  expect(response.body).toMatchObject({ openapi: '3.1.0', info: { version: manifest.version } });
  expect(response.body.paths['/api/openapi.json'].get.security).toEqual([]);
  expect(response.body.paths['/api/scans'].get.security).toContainEqual({ apiKey: [] });
  const etag = response.headers.get('etag')!;
  expect((await call(stack.baseUrl, 'GET', '/api/openapi.json', { kind: 'none' }, undefined, { 'If-None-Match': etag })).status).toBe(304);
});

it('still refuses other routes without a credential', async () => {
  expect(await call(stack.baseUrl, 'GET', '/api/scans', { kind: 'none' })).toMatchObject({ status: 401, body: { error: { code: 'UNAUTHORIZED' } } });
});
