// The request line each API Lambda writes: INFO with the route, status and both request ids;
// for a failure, ERROR with the error's stack, and the caller's key redacted from its message.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { logger } from '#shared/logging/logger.ts';
import { requestLog } from './request-log.ts';

const KEY = `hg_ak_${'0f'.repeat(24)}`;
const event = {
  httpMethod: 'GET',
  resource: '/api/scans',
  headers: { 'X-API-Key': KEY },
  requestContext: { requestId: 'apigw-9' },
} as unknown as APIGatewayProxyEvent;
const context = {
  awsRequestId: 'lambda-9',
  functionName: 'hg-scans',
  invokedFunctionArn: 'arn',
  memoryLimitInMB: '512',
  functionVersion: '$LATEST',
} as unknown as Context;

let printed: string[] = [];
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
beforeEach(() => {
  printed = [];
  process.stdout.write = process.stderr.write = ((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0) as typeof process.stdout.write;
  logger.setLogLevel('INFO');
});
afterEach(() => {
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
  logger.setLogLevel('SILENT');
});
const line = () => JSON.parse(printed.join('').trim()) as Record<string, unknown>;

it('logs an answered request at INFO with its route, status and request ids', async () => {
  await middy(async () => ({ statusCode: 200, body: '{}' })).use(requestLog())(event, context);
  expect(line()).toMatchObject({
    level: 'INFO',
    message: 'request',
    method: 'GET',
    resource: '/api/scans',
    status: 200,
    requestId: 'apigw-9',
    function_request_id: 'lambda-9',
  });
});

it('logs a failed request at ERROR with the error and its stack, never the key it carried', async () => {
  const failing = middy(async () => {
    throw new Error(`lookup of ${KEY} failed`);
  }).use(requestLog());
  await expect(failing(event, context)).rejects.toThrow();
  const logged = line();
  expect(logged).toMatchObject({ level: 'ERROR', status: 500, requestId: 'apigw-9', error: { name: 'Error', message: 'lookup of [redacted] failed' } });
  expect((logged.error as { stack: string }).stack).toContain('request-log.test.ts');
  expect(printed.join('')).not.toContain(KEY);
});
