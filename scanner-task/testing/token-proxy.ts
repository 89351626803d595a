// Test helper: a Docker Hub–style front for a local registry. It demands a bearer token (the
// WWW-Authenticate challenge flow), runs its own token endpoint, and can inject failures (429/503)
// or corrupt blobs, to exercise what a plain local registry never does.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface ProxyOptions {
  upstream: string;
  /** Credentials the token endpoint accepts; without them it hands anonymous tokens out. */
  credentials?: { username: string; password: string };
  /** Status codes to answer, in order, before serving requests normally. */
  failures?: number[];
  /** Flip a byte in blob responses: all of them, or those of these digests. */
  corruptBlobs?: boolean | readonly string[];
}

export interface TokenProxy {
  host: string;
  /** Request log: method, path, and the Accept header sent. */
  requests: Array<{ path: string; accept?: string; authorization?: string }>;
  stop(): Promise<void>;
}

const TOKEN = 'test-token-1234';

export async function startTokenProxy(options: ProxyOptions): Promise<TokenProxy> {
  const failures = [...(options.failures ?? [])];
  const requests: TokenProxy['requests'] = [];
  let host = '';
  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', `http://${host}`);
    requests.push({
      path: url.pathname,
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    if (url.pathname === '/token') {
      const { credentials } = options;
      const expected = credentials ? `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}` : undefined;
      if (expected && req.headers.authorization !== expected) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: TOKEN }));
      return;
    }
    const failure = failures.shift();
    if (failure) {
      res.writeHead(failure, failure === 429 ? { 'retry-after': '0' } : {}).end();
      return;
    }
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://${host}/token",service="test-registry",scope="repository:${url.pathname.split('/').slice(2, -2).join('/')}:pull"`,
        })
        .end();
      return;
    }
    const upstream = await fetch(`http://${options.upstream}${url.pathname}${url.search}`, {
      headers: req.headers.accept ? { accept: req.headers.accept } : {},
    });
    const headers: Record<string, string> = {};
    upstream.headers.forEach((value, key) => {
      if (key !== 'content-encoding' && key !== 'transfer-encoding') headers[key] = value;
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    const corrupt =
      options.corruptBlobs === true ||
      (Array.isArray(options.corruptBlobs) && options.corruptBlobs.some((digest) => url.pathname.endsWith(`/blobs/${digest}`)));
    if (corrupt && url.pathname.includes('/blobs/') && body.length > 100) body[body.length - 50]! ^= 0xff;
    res.writeHead(upstream.status, headers).end(body);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(502).end());
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return { host, requests, stop: () => new Promise((ok) => server.close(() => ok())) };
}
