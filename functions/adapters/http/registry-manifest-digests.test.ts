// A registry that accepts connections and never answers costs one check its budget, then the
// check fails as unreachable: the daily job is not held for the registry's whims.
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import { RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import { RegistryManifestDigests } from './registry-manifest-digests.ts';

const sockets: Socket[] = [];
const silent = createServer((socket) => sockets.push(socket));
let host: string;

beforeAll(async () => {
  await new Promise<void>((ready) => silent.listen(0, '127.0.0.1', ready));
  host = `127.0.0.1:${(silent.address() as { port: number }).port}`;
});
afterAll(() => {
  for (const socket of sockets) socket.destroy();
  silent.close();
});

it('gives up on a registry that never answers within its budget, as unreachable', async () => {
  const digests = new RegistryManifestDigests(egressPolicy('127.0.0.0/8'), 300);
  const access = { plainHttpFallback: true, tokenRealms: [] };
  await expect(digests.manifestDigest({ name: `${host}/example/app`, tag: '1.0' }, access)).rejects.toBeInstanceOf(RegistryUnreachableError);
  expect(sockets.length).toBeGreaterThan(0);
});
