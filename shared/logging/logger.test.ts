// The logger's line, as CloudWatch receives it: one JSON object with the level, the request
// ids and an error's stack; and no credential, whether it sits in a field, a header or the
// message of an error.
import type { Context } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logger, REDACTED } from './logger.ts';

const API_KEY = `hg_ak_${'a1'.repeat(24)}`;
const SESSION = 'eyJzdWIiOiJ1In0.eyJvcmciOiJvIn0.c2lnbmF0dXJl';
const context = {
  awsRequestId: 'req-7',
  functionName: 'hg-scans',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:1:function:hg-scans',
  memoryLimitInMB: '512',
  functionVersion: '$LATEST',
} as Context;

let printed: string[] = [];
const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
beforeEach(() => {
  printed = [];
  const capture = ((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0) as typeof process.stdout.write;
  process.stdout.write = capture;
  process.stderr.write = capture;
  logger.setLogLevel('INFO');
  logger.resetKeys();
});
afterEach(() => {
  process.stdout.write = writes.stdout;
  process.stderr.write = writes.stderr;
  logger.setLogLevel('SILENT');
});
const lines = () =>
  printed
    .join('')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('logger', () => {
  it('writes one JSON line with level, message, service, the Lambda and API Gateway request ids', () => {
    logger.addContext(context);
    logger.appendKeys({ requestId: 'apigw-1' });
    logger.info('request', { status: 200, credentialId: 'cred-1' });
    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'INFO',
        message: 'request',
        service: 'harborguard',
        function_request_id: 'req-7',
        requestId: 'apigw-1',
        status: 200,
        credentialId: 'cred-1',
        timestamp: expect.any(String),
      }),
    ]);
  });

  it('prints an error with its name, message and stack, and drops lines below the level', () => {
    logger.debug('not printed at INFO');
    logger.error('dispatch failed', { error: new TypeError('no cluster') });
    const [line] = lines();
    expect(line).toMatchObject({ level: 'ERROR', message: 'dispatch failed', error: { name: 'TypeError', message: 'no cluster' } });
    expect((line!.error as { stack: string }).stack).toContain('logger.test.ts');
    expect(lines()).toHaveLength(1);
  });

  it('never prints a credential: secret-named fields, headers, and keys or tokens inside messages and stacks', () => {
    const failure = new Error(`refused ${API_KEY} with Authorization: Bearer ${API_KEY}`);
    logger.error(`upload with ${API_KEY} failed`, {
      headers: { Authorization: `Bearer ${API_KEY}`, Cookie: `next-auth.session-token=${SESSION}`, 'X-API-Key': API_KEY, 'Content-Type': 'application/json' },
      password: 'hunter2',
      sessionSecret: 'the-signing-secret',
      uploadKey: API_KEY,
      note: `cookie was ${SESSION}`,
      error: failure,
    });
    const text = printed.join('');
    for (const secret of [API_KEY, SESSION, 'hunter2', 'the-signing-secret', 'a1a1a1']) expect(text).not.toContain(secret);
    const [line] = lines();
    expect(line).toMatchObject({
      message: `upload with ${REDACTED} failed`,
      headers: { Authorization: REDACTED, Cookie: REDACTED, 'X-API-Key': REDACTED, 'Content-Type': 'application/json' },
      password: REDACTED,
      note: `cookie was ${REDACTED}`,
      error: { message: `refused ${REDACTED} with Authorization: ${REDACTED}` },
    });
  });
});
