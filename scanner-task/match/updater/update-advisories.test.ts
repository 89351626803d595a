// The updater against a local HTTP server (127.0.0.1) serving fixture all.zip dumps:
// conditional requests, resuming a cut download, rebuilding and publishing only on change.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';
import { FORMAT_VERSION, MAGIC, type SnapshotHeader } from '#shared/matching/snapshot-format.ts';
import { updateAdvisories } from './update-advisories.ts';

const scenarios = new URL('../testdata/scenarios/', import.meta.url).pathname;
const zipOf = (scenario: string): Buffer => {
  const folder = join(scenarios, scenario, 'osv');
  return Buffer.from(zipSync(Object.fromEntries(readdirSync(folder).map((f) => [f, strToU8(readFileSync(join(folder, f), 'utf8'))]))));
};

const dumps: Record<string, Buffer> = { '/npm/all.zip': zipOf('npm'), '/Debian/all.zip': zipOf('debian-source') };
const requests: Array<{ path: string; status: number; range?: string }> = [];
let cutNext = false;

function serve(req: IncomingMessage, res: ServerResponse): void {
  const body = dumps[req.url ?? ''];
  const log = (status: number): void => void requests.push({ path: req.url ?? '', status, ...(req.headers.range ? { range: req.headers.range } : {}) });
  if (!body) return (log(404), void res.writeHead(404).end());
  const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
  if (req.headers['if-none-match'] === etag) return (log(304), void res.writeHead(304, { etag }).end());
  const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
  if (range && req.headers['if-range'] === etag) {
    const start = Number(range[1]);
    log(206);
    return void res
      .writeHead(206, { etag, 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` })
      .end(body.subarray(start));
  }
  log(200);
  res.writeHead(200, { etag, 'content-length': body.length, 'last-modified': 'Wed, 10 Jan 2024 00:00:00 GMT' });
  if (cutNext) {
    cutNext = false;
    // Half the bytes, then the connection closes. A FIN after the flushed half, not a reset:
    // a reset may discard bytes still in flight, and then there is nothing to resume.
    res.write(body.subarray(0, body.length >> 1), () => res.socket?.end());
    return;
  }
  res.end(body);
}

let base = '';
const server = createServer(serve);
const work = await mkdtemp(join(tmpdir(), 'hg-updater-'));
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await rm(work, { recursive: true, force: true });
});

describe('updateAdvisories', () => {
  const published: SnapshotHeader[] = [];
  const options = () => ({
    dumps: [`${base}/npm/all.zip`, `${base}/Debian/all.zip`],
    cacheDir: join(work, 'cache'),
    output: join(work, 'advisories.db'),
    publisher: { publish: async (_file: string, header: SnapshotHeader) => void published.push(header) },
  });

  it('resumes a cut download, builds the snapshot and publishes it', async () => {
    cutNext = true;
    await expect(updateAdvisories(options())).rejects.toThrow(/will resume/);
    const result = await updateAdvisories(options());
    expect(result.changed).toEqual([`${base}/npm/all.zip`, `${base}/Debian/all.zip`]);
    // The second attempt at the npm dump asked only for the missing half.
    expect(requests.filter((r) => r.path === '/npm/all.zip').map((r) => r.status)).toEqual([200, 206]);
    expect(requests.find((r) => r.status === 206)?.range).toBe(`bytes=${dumps['/npm/all.zip']!.length >> 1}-`);
    expect(published).toHaveLength(1);
    const snapshot = await loadSnapshot(join(work, 'advisories.db'));
    expect(snapshot.verify()).toBe(true);
    expect(snapshot.header.ecosystems).toMatchObject({ npm: 4, 'Debian:12': 7 });
    snapshot.close();
  });

  it('asks conditionally next time and neither rebuilds nor republishes an unchanged feed', async () => {
    requests.length = 0;
    const result = await updateAdvisories(options());
    expect(result).toEqual({ changed: [] });
    expect(requests.map((r) => r.status)).toEqual([304, 304]);
    expect(published).toHaveLength(1);
  });

  it('rebuilds from the cached dumps when the last snapshot is in a format this version cannot read', async () => {
    requests.length = 0;
    const header = Buffer.from(JSON.stringify({ format: FORMAT_VERSION - 1 }));
    const prefix = Buffer.alloc(MAGIC.length + 4);
    MAGIC.copy(prefix);
    prefix.writeUInt32LE(header.length, MAGIC.length);
    await writeFile(join(work, 'advisories.db'), Buffer.concat([prefix, header]));
    const result = await updateAdvisories(options());
    expect(requests.map((r) => r.status)).toEqual([304, 304]);
    expect(result).toMatchObject({ changed: [], header: { format: FORMAT_VERSION } });
    expect(published).toHaveLength(2);
    const snapshot = await loadSnapshot(join(work, 'advisories.db'));
    expect(snapshot.header.ecosystems).toMatchObject({ npm: 4, 'Debian:12': 7 });
    snapshot.close();
  });
});
