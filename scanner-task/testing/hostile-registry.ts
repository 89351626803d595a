// Test helper: a registry that lies. It serves one tiny, valid OCI image from memory, and each
// request can be answered by a hook instead: redirects, token challenges with foreign realms,
// manifests whose digests would rewrite the URL. Beside it, a "sentinel" that stands for an
// internal service: a listener on another loopback address that counts every connection, so a
// test can assert that nothing ever reached it. Plain HTTP by default; HTTPS when given a key
// pair (the CLI tests trust it through NODE_EXTRA_CA_CERTS).
import { createHash } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { tarOf } from './build-image.ts';

export interface HostileRequest {
  method: string;
  path: string;
  authorization?: string;
}

/** Answer a request yourself (return true), or let the registry serve it (return false). */
export type Hook = (req: IncomingMessage, res: ServerResponse, registry: HostileRegistry) => boolean | Promise<boolean>;

export interface HostileRegistry {
  /** host:port, as an image reference names it. */
  host: string;
  origin: string;
  requests: HostileRequest[];
  image: { manifest: Buffer; manifestDigest: string; config: Buffer; configDigest: string; layer: Buffer; layerDigest: string };
  stop(): Promise<void>;
}

const sha256 = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const MANIFEST_TYPE = 'application/vnd.oci.image.manifest.v1+json';

async function tinyImage(): Promise<HostileRegistry['image']> {
  const layer = gzipSync(await tarOf([{ name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.20.0\n' }]));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] }, config: {} }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MANIFEST_TYPE,
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(config), size: config.length },
      layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(layer), size: layer.length }],
    }),
  );
  return { manifest, manifestDigest: sha256(manifest), config, configDigest: sha256(config), layer, layerDigest: sha256(layer) };
}

const listening = (server: Server | ReturnType<typeof createTcpServer>, host: string) =>
  new Promise<number>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, host, () => ok((server.address() as AddressInfo).port));
  });

export async function startHostileRegistry(options: { hook?: Hook; tls?: { key: string; cert: string }; bind?: string } = {}): Promise<HostileRegistry> {
  const image = await tinyImage();
  const requests: HostileRequest[] = [];
  const blobs = new Map([
    [image.configDigest, image.config],
    [image.layerDigest, image.layer],
  ]);
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (options.hook && (await options.hook(req, res, registry))) return;
    const path = req.url ?? '/';
    const manifest = /^\/v2\/example\/app\/manifests\/([^/?]+)$/.exec(path);
    if (manifest && (manifest[1] === '1' || manifest[1] === image.manifestDigest)) {
      res.writeHead(200, { 'content-type': MANIFEST_TYPE, 'docker-content-digest': image.manifestDigest }).end(image.manifest);
      return;
    }
    const blob = /^\/v2\/example\/app\/blobs\/(sha256:[a-f0-9]{64})$/.exec(path);
    if (blob && blobs.has(blob[1]!)) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(blobs.get(blob[1]!));
      return;
    }
    res
      .writeHead(404, { 'content-type': 'application/json' })
      .end(JSON.stringify({ errors: [{ code: manifest ? 'MANIFEST_UNKNOWN' : 'BLOB_UNKNOWN', message: 'unknown' }] }));
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => void handle(req, res).catch(() => res.destroy());
  const server = options.tls ? createHttpsServer(options.tls, listener) : createHttpServer(listener);
  const bind = options.bind ?? '127.0.0.1';
  const port = await listening(server, bind);
  const host = `${bind}:${port}`;
  const registry: HostileRegistry = {
    host,
    origin: `${options.tls ? 'https' : 'http'}://${host}`,
    requests,
    image,
    stop: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
  return registry;
}

export interface Sentinel {
  host: string;
  port: number;
  /** Connections accepted so far: any at all means the policy let something through. */
  connections(): number;
  stop(): Promise<void>;
}

/** A TCP listener on another loopback address (127.0.0.2 by default) that counts connections and says nothing. */
export async function startSentinel(bind = '127.0.0.2'): Promise<Sentinel> {
  let count = 0;
  const server = createTcpServer((socket) => {
    count += 1;
    socket.destroy();
  });
  const port = await listening(server, bind);
  return {
    host: bind,
    port,
    connections: () => count,
    stop: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** A TCP port that accepts and answers like something other than an HTTP server (an SSH-like banner). */
export async function startNonHttpService(): Promise<{ host: string; stop(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket.on('close', () => sockets.delete(socket)));
    socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
  });
  const port = await listening(server, '127.0.0.1');
  return {
    host: `127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((ok) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => ok());
      }),
  };
}
