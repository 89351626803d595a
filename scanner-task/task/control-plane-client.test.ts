// The client keeps requests under the API's base path (API Gateway's stage) and retries only
// what may succeed on a retry.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterEach, expect, it } from 'vitest';
import { egressFetch, ResponseTooLargeError } from '#shared/egress/egress-fetch.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import { startSentinel } from '../testing/hostile-registry.ts';
import { ControlPlaneClient, ControlPlaneError, DEFAULT_INGEST_WAIT } from './control-plane-client.ts';

let close: (() => void) | undefined;
afterEach(() => close?.());

async function serve(answers: number[]): Promise<{ url: string; seen: Array<{ path: string; body: string; key: string }> }> {
  const seen: Array<{ path: string; body: string; key: string }> = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      seen.push({
        path: request.url!,
        key: String(request.headers['x-api-key']),
        body: request.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString(),
      });
      const status = answers.shift() ?? 200;
      response
        .writeHead(status, { 'Content-Type': 'application/json' })
        .end(status === 200 ? '{"data":{"id":"scn-1"}}' : '{"error":{"code":"X","message":"nope"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

it('posts under the stage path, gzips the envelope, and sends the key', async () => {
  const { url, seen } = await serve([]);
  const client = new ControlPlaneClient(`${url}/prod`, 'hg_ak_test');
  await client.progress('scn-1', 'pulling', 5.4);
  await client.upload({ scan: { id: 'scn-1' } } as never);
  expect(seen.map((s) => s.path)).toEqual(['/prod/api/scans/scn-1/progress', '/prod/api/scans/upload']);
  expect(JSON.parse(seen[0]!.body)).toEqual({ stage: 'pulling', percent: 5 });
  expect(JSON.parse(seen[1]!.body)).toEqual({ scan: { id: 'scn-1' } });
  expect(seen.every((s) => s.key === 'hg_ak_test')).toBe(true);
});

it('retries 429 and 5xx, but not another 4xx', async () => {
  const retried = await serve([503, 429]);
  await new ControlPlaneClient(retried.url, 'k').failure('scn-1', 'TIMED_OUT', 'slow');
  expect(retried.seen).toHaveLength(3);
  close!();
  const refused = await serve([403]);
  await expect(new ControlPlaneClient(refused.url, 'k').failure('scn-1', 'TIMED_OUT', 'slow')).rejects.toThrow(ControlPlaneError);
  expect(refused.seen).toHaveLength(1);
});

it('sends an envelope whose gzip exceeds 10 MB through a pre-signed URL, then posts its key', async () => {
  const seen: Array<{ method: string; path: string; bytes: number; body: string }> = [];
  const puts = [503];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      const raw = Buffer.concat(chunks);
      seen.push({ method: request.method!, path: request.url!, bytes: raw.length, body: request.method === 'PUT' ? '' : raw.toString() });
      const port = (server.address() as AddressInfo).port;
      if (request.url === '/api/scans/upload-url') {
        // A *.localhost name, as the local stack's S3 hands out: the client must reach it without DNS.
        response.writeHead(201).end(
          JSON.stringify({
            data: { url: `http://bucket.s3.localhost:${port}/put-here?X-Amz-Signature=x`, method: 'PUT', envelopeS3Key: 'uploads/o/scn-big/k.json.gz' },
          }),
        );
      } else if (request.method === 'PUT') response.writeHead(puts.shift() ?? 200).end();
      else response.writeHead(200).end('{"data":{"id":"scn-big"}}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  // Random hex compresses to about half: 22 MB of it gzips to over 10 MB.
  const envelope = { scan: { id: 'scn-big' }, filler: (await import('node:crypto')).randomBytes(11 * 1024 * 1024).toString('hex') };
  await new ControlPlaneClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'k').upload(envelope as never);
  expect(seen.map((s) => `${s.method} ${s.path.split('?')[0]}`)).toEqual([
    'POST /api/scans/upload-url',
    'PUT /put-here',
    'PUT /put-here',
    'POST /api/scans/upload',
  ]);
  expect(JSON.parse(seen[0]!.body)).toEqual({ scanId: 'scn-big' });
  expect(seen[2]!.bytes).toBeGreaterThan(10 * 1024 * 1024);
  expect(JSON.parse(seen[3]!.body)).toEqual({ envelopeS3Key: 'uploads/o/scn-big/k.json.gz' });
}, 60_000);

it("waits out a 202 INGESTING on the scan's ingest status, and fails when the ingest ended otherwise", async () => {
  const answers = [
    '{"data":{"id":"scn-1","status":"INGESTING"}}',
    '{"data":{"id":"scn-1","status":"INGESTING"}}',
    '{"data":{"id":"scn-1","status":"COMPLETE","riskScore":7}}',
  ];
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(`${request.method} ${request.url}`);
    request
      .resume()
      .on('end', () =>
        response
          .writeHead(paths.length === 1 ? 202 : 200, { 'Content-Type': 'application/json' })
          .end(answers.shift() ?? '{"data":{"id":"scn-1","status":"FAILED"}}'),
      );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  const client = new ControlPlaneClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'hg_ak_test', { intervalMs: 1, timeoutMs: 60_000 });
  expect(await client.upload({ scan: { id: 'scn-1' } } as never)).toEqual({ data: { id: 'scn-1', status: 'COMPLETE', riskScore: 7 } });
  expect(paths).toEqual(['POST /api/scans/upload', 'GET /api/scans/scn-1/ingest', 'GET /api/scans/scn-1/ingest']);

  answers.push('{"data":{"id":"scn-1","status":"INGESTING"}}');
  await expect(client.upload({ scan: { id: 'scn-1' } } as never)).rejects.toThrow(/not ingested \(FAILED\)/);
});

it("under the task's egress policy, reaches neither a control plane nor a storage URL at a refused address", async () => {
  const sentinel = await startSentinel();
  try {
    const policy = egressFetch(egressPolicy('127.0.0.1/32'));
    const refused = new ControlPlaneClient(`http://127.0.0.2:${sentinel.port}/prod`, 'k', DEFAULT_INGEST_WAIT, policy);
    await expect(refused.progress('scn-1', 'pulling', 5)).rejects.toThrow(/127\.0\.0\.2 is a loopback address, not allowed/);
    // A control plane that hands out a pre-signed URL pointing inward gets no upload there.
    const server = createServer((request, response) => {
      response
        .writeHead(201, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ data: { url: `http://169.254.169.254/latest/x`, envelopeS3Key: 'k' } }));
      request.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    close = () => server.close();
    const client = new ControlPlaneClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'k', DEFAULT_INGEST_WAIT, policy);
    await expect(client.uploadRawOutput('scn-1', 'trivy', '{}')).rejects.toThrow(/never allowed/);
    expect(sentinel.connections()).toBe(0);
  } finally {
    await sentinel.stop();
  }
});

it('refuses an answer larger than a control plane sends, without retrying it', async () => {
  let requests = 0;
  const server = createServer((request, response) => {
    requests++;
    request.resume();
    response.writeHead(200, { 'Content-Type': 'application/json' }).end(`{"data":"${'x'.repeat(2 * 1024 * 1024)}"}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  close = () => server.close();
  const client = new ControlPlaneClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, 'k');
  await expect(client.progress('scn-1', 'pulling', 5)).rejects.toThrow(ResponseTooLargeError);
  expect(requests).toBe(1);
});
