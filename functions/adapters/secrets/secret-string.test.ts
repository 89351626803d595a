// No Secrets Manager emulator exists here: a tiny endpoint speaking its JSON 1.1 protocol lets
// the real SDK client run unchanged, as the local ECS endpoint does for RunTask.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSecretString } from './secret-string.ts';

const SECRETS: Record<string, string | undefined> = { 'arn:aws:secretsmanager:us-east-1:000000000000:secret:session': 'c2VjcmV0', binary: undefined };
const targets: string[] = [];
let server: Server;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      targets.push(String(request.headers['x-amz-target']));
      const { SecretId } = JSON.parse(body) as { SecretId: string };
      response.setHeader('content-type', 'application/x-amz-json-1.1');
      if (!(SecretId in SECRETS)) {
        response.statusCode = 400;
        response.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: 'Secrets Manager can’t find the specified secret.' }));
        return;
      }
      const value = SECRETS[SecretId];
      response.end(JSON.stringify({ ARN: SecretId, Name: SecretId, ...(value === undefined ? { SecretBinary: 'AA==' } : { SecretString: value }) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER;
  await new Promise((resolve) => server.close(resolve));
});

it('reads the secret string through GetSecretValue', async () => {
  expect(await readSecretString('arn:aws:secretsmanager:us-east-1:000000000000:secret:session')).toBe('c2VjcmV0');
  expect(targets.at(-1)).toBe('secretsmanager.GetSecretValue');
});

it('fails with a clear message for a binary secret or an unknown one', async () => {
  await expect(readSecretString('binary')).rejects.toThrow('Secret binary has no string value');
  await expect(readSecretString('missing')).rejects.toThrow(/can’t find the specified secret/);
});
