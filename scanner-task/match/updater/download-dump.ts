// Downloads one OSV dump (an all.zip) to disk: streamed (memory stays flat whatever the
// size), conditional on the last ETag/Last-Modified (an unchanged feed costs one 304),
// and resumable (a partial file left by a cut connection continues with a Range request).
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { once } from 'node:events';
import type { ReadableStream } from 'node:stream/web';
import { egressFetch, type Fetch } from '#shared/egress/egress-fetch.ts';

/** Beyond any OSV dump (the largest, all ecosystems at once, is well under 1 GiB): refused, never filled to the disk's end. */
export const MAX_DUMP_BYTES = 4 * 1024 ** 3;

export interface DumpState {
  etag?: string;
  lastModified?: string;
}

export type DumpResult = ({ status: 'not-modified' } | { status: 'downloaded'; bytes: number }) & DumpState;

export class DumpDownloadError extends Error {
  constructor(url: string, reason: string) {
    super(`${url}: ${reason}`);
    this.name = 'DumpDownloadError';
  }
}

/** A dump beyond MAX_DUMP_BYTES: its partial copy is removed, never resumed. */
class DumpTooLargeError extends DumpDownloadError {}

const sizeOf = (path: string): Promise<number> =>
  stat(path).then(
    (s) => s.size,
    () => 0,
  );

/** `dest` is replaced only when a complete new copy arrived; `${dest}.part` holds a partial one. */
export async function downloadDump(
  url: string,
  dest: string,
  previous: DumpState = {},
  fetchImpl: Fetch = egressFetch(undefined),
  maxBytes = MAX_DUMP_BYTES,
): Promise<DumpResult> {
  const part = `${dest}.part`;
  const partial = await sizeOf(part);
  const headers: Record<string, string> = {};
  if ((await sizeOf(dest)) > 0) {
    if (previous.etag) headers['if-none-match'] = previous.etag;
    if (previous.lastModified) headers['if-modified-since'] = previous.lastModified;
  }
  // Resume only a copy of the same version: If-Range makes the server send it whole otherwise.
  const partState = previous as DumpState & { partEtag?: string };
  if (partial > 0 && partState.partEtag) {
    headers.range = `bytes=${partial}-`;
    headers['if-range'] = partState.partEtag;
  }
  const response = await fetchImpl(url, { headers });
  if (response.status === 304) {
    await response.body?.cancel();
    return { status: 'not-modified', ...previous };
  }
  if (response.status !== 200 && response.status !== 206) {
    await response.body?.cancel();
    throw new DumpDownloadError(url, `HTTP ${response.status}`);
  }
  if (!response.body) throw new DumpDownloadError(url, 'empty response');
  const etag = response.headers.get('etag') ?? undefined;
  const lastModified = response.headers.get('last-modified') ?? undefined;
  const append = response.status === 206;
  const declared = Number(response.headers.get('content-length') ?? NaN) + (append ? partial : 0);
  if (declared > maxBytes) {
    await response.body.cancel();
    throw new DumpDownloadError(url, `${declared} bytes, more than the ${maxBytes} a dump may have`);
  }
  // Not pipeline(): on a cut connection it destroys the file stream and drops bytes it still
  // buffers, leaving nothing to resume from. Every byte received is flushed before giving up.
  const file = createWriteStream(part, { flags: append ? 'a' : 'w' });
  let interruption: Error | undefined;
  let received = append ? partial : 0;
  try {
    for await (const chunk of Readable.fromWeb(response.body as ReadableStream<Uint8Array>)) {
      received += (chunk as Uint8Array).length;
      if (received > maxBytes) throw new DumpTooLargeError(url, `more than the ${maxBytes} bytes a dump may have`);
      if (!file.write(chunk)) await once(file, 'drain');
    }
  } catch (error) {
    interruption = error as Error;
  }
  await new Promise<void>((resolve, reject) => file.end((error?: Error | null) => (error ? reject(error) : resolve())));
  if (interruption instanceof DumpTooLargeError) {
    await rm(part, { force: true });
    throw interruption;
  }
  if (interruption) {
    // Keep the partial file and its version for the next attempt.
    throw Object.assign(new DumpDownloadError(url, `interrupted (${interruption.message}); will resume`), { partEtag: etag });
  }
  const bytes = await sizeOf(part);
  if (Number.isFinite(declared) && bytes !== declared)
    throw Object.assign(new DumpDownloadError(url, `got ${bytes} of ${declared} bytes; will resume`), { partEtag: etag });
  await rename(part, dest);
  return { status: 'downloaded', bytes, ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}
