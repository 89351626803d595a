// A dump beyond the bound is refused, whether its server declares the length or not, and leaves
// no partial copy to resume.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { downloadDump } from './download-dump.ts';

const body = Buffer.alloc(64 * 1024, 1);
const server = createServer((req, res) => {
  if (req.url === '/declared') res.writeHead(200, { 'content-length': body.length }).end(body);
  else res.writeHead(200, { 'transfer-encoding': 'chunked' }).end(body);
});
const work = await mkdtemp(join(tmpdir(), 'hg-dump-bound-'));
let base = '';
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await rm(work, { recursive: true, force: true });
});

it.each(['declared', 'chunked'])('refuses a %s dump larger than the bound and keeps no partial copy', async (path) => {
  const dest = join(work, `${path}.zip`);
  await expect(downloadDump(`${base}/${path}`, dest, {}, undefined, 32 * 1024)).rejects.toThrow(/a dump may have/);
  expect(existsSync(dest)).toBe(false);
  expect(existsSync(`${dest}.part`)).toBe(false);
  await expect(downloadDump(`${base}/${path}`, dest, {}, undefined, 128 * 1024)).resolves.toMatchObject({ status: 'downloaded', bytes: body.length });
});
