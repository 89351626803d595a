// The CI gate's server client goes through the egress policy: the server the user named is
// reached wherever it lives, nothing else behind it, cloud metadata never, and the key never
// follows a redirect.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ServerScan } from './server-scan.ts';

const seen: Array<{ port: number; authorization?: string }> = [];
function listen(handle: (request: IncomingMessage) => { status: number; headers?: Record<string, string>; body?: string }): Promise<Server> {
  const server = createServer((request, response) => {
    seen.push({ port: (server.address() as AddressInfo).port, ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}) });
    const { status, headers, body } = handle(request);
    response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(body ?? '');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
const portOf = (server: Server) => (server.address() as AddressInfo).port;

let api: Server;
let elsewhere: Server;
beforeAll(async () => {
  elsewhere = await listen(() => ({ status: 200, body: JSON.stringify({ data: { id: 'scn-elsewhere' } }) }));
  api = await listen((request) =>
    request.url === '/api/scans/scn-moved'
      ? { status: 302, headers: { location: `http://127.0.0.1:${portOf(elsewhere)}/api/scans/scn-moved` } }
      : { status: 200, body: JSON.stringify({ data: { id: 'scn-here' } }) },
  );
});
afterAll(() => Promise.all([api, elsewhere].map((server) => new Promise((resolve) => server.close(resolve)))));

const client = (url: string) => new ServerScan({ url, apiKey: 'hg_ak_secret', deadline: Date.now() + 5_000, progress: () => undefined });

it('reaches the server it was given, on a loopback (or private) address', async () => {
  await expect(client(`http://127.0.0.1:${portOf(api)}`).detail('scn-here')).resolves.toMatchObject({ id: 'scn-here' });
});

it('refuses a link-local (cloud metadata) address before connecting, in one line', async () => {
  await expect(client('http://169.254.169.254').detail('scn-x')).rejects.toThrow(/169\.254\.169\.254 is link-local \(cloud metadata\); never allowed/);
});

it('does not follow a redirect, so the key never reaches another host', async () => {
  const before = seen.filter((request) => request.port === portOf(elsewhere)).length;
  await expect(client(`http://127.0.0.1:${portOf(api)}`).detail('scn-moved')).rejects.toThrow(/cannot reach the HarborGuard server/);
  expect(seen.filter((request) => request.port === portOf(elsewhere)).length).toBe(before);
});

it('refuses a URL that is not http(s)', () => {
  expect(() => client('file:///etc/passwd')).toThrow(/not an http\(s\) URL/);
});
