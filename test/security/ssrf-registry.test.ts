// The SSRF matrix against the registry client, as the scanner task runs it: an egress policy
// that allows only the hostile registry's own address (127.0.0.1), and a sentinel on 127.0.0.2
// standing for every internal service. Whatever the registry answers — redirects, token realms,
// digests that would rewrite the URL — the sentinel must see no connection, and the failure
// must say why in one line.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EgressDeniedError } from '#shared/egress/egress-fetch.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import { ImageIntegrityError, RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import { openImage } from '../../scanner-task/image/open-image.ts';
import {
  type Hook,
  startHostileRegistry,
  startNonHttpService,
  startSentinel,
  type HostileRegistry,
  type Sentinel,
} from '../../scanner-task/testing/hostile-registry.ts';

const egress = egressPolicy('127.0.0.1/32');
const fast = { attempts: 2, backoffMs: 1 };
const pull = (reference: string, extra: Parameters<typeof openImage>[1] = {}) => openImage(reference, { egress, insecure: true, retry: fast, ...extra });

let sentinel: Sentinel;
let registry: HostileRegistry | undefined;

beforeAll(async () => {
  sentinel = await startSentinel();
});
afterAll(async () => {
  await sentinel.stop();
});
afterEach(async () => {
  await registry?.stop();
  registry = undefined;
  // Every case: the internal service was never reached.
  expect(sentinel.connections()).toBe(0);
});

async function hostile(hook: Hook): Promise<HostileRegistry> {
  registry = await startHostileRegistry({ hook });
  return registry;
}

describe('references to internal addresses', () => {
  it('pulls from the one allowed address (the control case)', async () => {
    const { host } = await hostile(() => false);
    const image = await pull(`${host}/example/app:1`);
    await image.close();
    expect(image.layers).toHaveLength(1);
  });

  it.each([
    ['127.0.0.2', 'the sentinel, dotted'],
    ['127.2', 'the sentinel, short form'],
    ['2130706434', 'the sentinel, decimal'],
    ['0x7f000002', 'the sentinel, hex'],
    ['0177.0.0.2', 'the sentinel, octal'],
    ['[::ffff:127.0.0.2]', 'the sentinel, IPv4-mapped'],
    ['[::ffff:7f00:2]', 'the sentinel, IPv4-mapped hex'],
  ])('refuses %s (%s) before connecting', async (address) => {
    await expect(pull(`${address}:${sentinel.port}/example/app:1`)).rejects.toThrow(EgressDeniedError);
  });

  it.each([
    '169.254.169.254',
    '169.254.170.2',
    '0251.0376.0251.0376',
    '2852039166',
    '10.0.0.1',
    '172.16.0.1',
    '192.168.0.1',
    '[fd00::1]',
    '[fe80::1]',
    '[fd00:ec2::254]',
    '0.0.0.0',
    '[::]',
  ])('refuses %s before connecting', async (address) => {
    await expect(pull(`${address}:80/example/app:1`)).rejects.toThrow(EgressDeniedError);
  });

  it('refuses a name that resolves only to refused addresses (localhost under a strict policy)', async () => {
    const { host, requests } = await hostile(() => false);
    const port = host.split(':')[1];
    await expect(openImage(`localhost:${port}/example/app:1`, { egress: egressPolicy(), insecure: true, retry: fast })).rejects.toThrow(
      /localhost resolves to .*not allowed/,
    );
    expect(requests).toHaveLength(0);
  });
});

describe('redirects', () => {
  const redirectTo =
    (location: (r: HostileRegistry) => string): Hook =>
    (req, res, r) => {
      if (!req.url?.includes('/manifests/')) return false;
      res.writeHead(307, { location: location(r) }).end();
      return true;
    };

  it.each([
    ['plain HTTP to another origin', () => `http://127.0.0.2:${sentinel.port}/v2/example/app/manifests/1`, /redirect to http:\/\/127\.0\.0\.2.* refused/],
    ['HTTPS to an internal address', () => `https://127.0.0.2:${sentinel.port}/v2/example/app/manifests/1`, /127\.0\.0\.2 is a loopback address/],
    ['HTTPS to the metadata endpoint', () => 'https://169.254.169.254/latest/meta-data/iam/security-credentials/', /never allowed/],
    ['HTTPS to a decimal spelling of it', () => 'https://2852039166/latest/meta-data/', /never allowed/],
    ['a scheme other than HTTP', () => 'file:///etc/passwd', /refused/],
  ])('refuses a redirect: %s', async (_, location, reason) => {
    const { host } = await hostile(redirectTo(location));
    const failure = pull(`${host}/example/app:1`);
    await expect(failure).rejects.toThrow(EgressDeniedError);
    await expect(failure).rejects.toThrow(reason);
  });

  it('follows a redirect within the same origin', async () => {
    const { host } = await hostile((req, res, r) => {
      if (req.url !== '/v2/example/app/manifests/1') return false;
      res.writeHead(302, { location: `/v2/example/app/manifests/${r.image.manifestDigest}` }).end();
      return true;
    });
    const image = await pull(`${host}/example/app:1`);
    await image.close();
    expect(image.manifestDigest).toBe(registry!.image.manifestDigest);
  });

  it('gives up on a redirect loop with the one unreachable answer', async () => {
    const { host } = await hostile((req, res) => {
      res.writeHead(302, { location: req.url ?? '/' }).end();
      return true;
    });
    await expect(pull(`${host}/example/app:1`)).rejects.toThrow(RegistryUnreachableError);
    expect(registry!.requests.length).toBeLessThanOrEqual(6);
  });
});

describe('token realms', () => {
  const challenge =
    (realm: (r: HostileRegistry) => string): Hook =>
    (req, res, r) => {
      if (req.headers.authorization) return false;
      res.writeHead(401, { 'www-authenticate': `Bearer realm="${realm(r)}",service="hostile"` }).end();
      return true;
    };
  const credentials = { username: 'org-robot', password: 'stored-registry-password' };

  it.each([
    ['plain HTTP on another host', () => `http://127.0.0.2:${sentinel.port}/token`, /token realm http:\/\/127\.0\.0\.2.* refused/],
    ['HTTPS on an internal host', () => `https://127.0.0.2:${sentinel.port}/token`, /127\.0\.0\.2 is a loopback address/],
    ['the metadata endpoint', () => 'https://169.254.170.2/v2/credentials', /never allowed/],
    [
      'plain HTTP on the registry host but another port',
      (r: HostileRegistry) => `http://127.0.0.1:${Number(r.host.split(':')[1]) + 1}/token`,
      /token realm .* refused/,
    ],
  ])('refuses a realm: %s, and sends it nothing', async (_, realm, reason) => {
    const { host } = await hostile(challenge(realm));
    const failure = pull(`${host}/example/app:1`, { credentials });
    await expect(failure).rejects.toThrow(EgressDeniedError);
    await expect(failure).rejects.toThrow(reason);
  });

  it('sends the stored credentials to a realm on the registry itself', async () => {
    let tokenAuthorization: string | undefined;
    const { host } = await hostile((req, res, r) => {
      if (req.url?.startsWith('/token')) {
        tokenAuthorization = req.headers.authorization;
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"t0k"}');
        return true;
      }
      if (req.headers.authorization !== 'Bearer t0k') {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="${r.origin}/token",service="hostile"` }).end();
        return true;
      }
      return false;
    });
    const image = await pull(`${host}/example/app:1`, { credentials });
    await image.close();
    expect(tokenAuthorization).toBe(`Basic ${Buffer.from('org-robot:stored-registry-password').toString('base64')}`);
  });
});

describe('digests from the registry', () => {
  const manifestWith =
    (edit: (manifest: Record<string, any>) => void): Hook =>
    (req, res, r) => {
      if (!req.url?.includes('/manifests/')) return false;
      const manifest = JSON.parse(r.image.manifest.toString());
      edit(manifest);
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' }).end(JSON.stringify(manifest));
      return true;
    };

  it.each([
    ['a layer digest with a path', (m: Record<string, any>) => (m.layers[0].digest = 'sha256:../../../v2/other/repo/manifests/x?y=')],
    ['a config digest with a query', (m: Record<string, any>) => (m.config.digest = 'sha256:abc?redirect=http://169.254.169.254/')],
    ['a short digest', (m: Record<string, any>) => (m.layers[0].digest = 'sha256:abcd')],
    ['a digest that is not a string', (m: Record<string, any>) => (m.config.digest = { $ne: 1 })],
  ])('refuses %s before using it in a URL', async (_, edit) => {
    const { host, requests } = await hostile(manifestWith(edit));
    await expect(pull(`${host}/example/app:1`)).rejects.toThrow(ImageIntegrityError);
    expect(requests.every((r) => /^\/v2\/example\/app\/manifests\/1$/.test(r.path))).toBe(true);
  });

  it('refuses an index entry whose digest would rewrite the URL', async () => {
    const { host, requests } = await hostile((req, res) => {
      if (!req.url?.includes('/manifests/')) return false;
      const index = {
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.index.v1+json',
        manifests: [
          {
            mediaType: 'application/vnd.oci.image.manifest.v1+json',
            digest: 'sha256:../../../../token',
            size: 1,
            platform: { os: 'linux', architecture: 'amd64' },
          },
        ],
      };
      res.writeHead(200, { 'content-type': 'application/vnd.oci.image.index.v1+json' }).end(JSON.stringify(index));
      return true;
    });
    await expect(pull(`${host}/example/app:1`)).rejects.toThrow(ImageIntegrityError);
    expect(requests).toHaveLength(1);
  });
});

describe('no port-scan oracle', () => {
  let web: Server;
  let webHost: string;
  beforeAll(async () => {
    web = createServer((req, res) => res.writeHead(req.url === '/' ? 200 : 404, { 'content-type': 'text/html' }).end('<html>intranet</html>'));
    await new Promise<void>((ok) => web.listen(0, '127.0.0.1', ok));
    webHost = `127.0.0.1:${(web.address() as AddressInfo).port}`;
  });
  afterAll(
    () =>
      new Promise<void>((ok) => {
        web.closeAllConnections();
        web.close(() => ok());
      }),
  );

  it('answers a closed port, a non-HTTP service, a web server and a catch-all 200 alike', async () => {
    const closed = await startSentinel('127.0.0.1');
    const closedHost = `127.0.0.1:${closed.port}`;
    await closed.stop();
    const ssh = await startNonHttpService();
    const catchAll = await hostile((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
      return true;
    });
    try {
      const reasons = await Promise.all(
        [closedHost, ssh.host, webHost, catchAll.host].map(async (host) => {
          const error = await pull(`${host}/example/app:1`).then(
            () => undefined,
            (e: Error) => e,
          );
          expect(error).toBeInstanceOf(RegistryUnreachableError);
          return error!.message.replace(host, '<host>');
        }),
      );
      expect(new Set(reasons).size).toBe(1);
      expect(reasons[0]).toMatch(/cannot reach the registry at <host>/);
    } finally {
      await ssh.stop();
    }
  });
});
