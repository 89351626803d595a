// Downloads the published advisory snapshot from S3 into a local cache, conditionally: the
// cached copy's ETag goes out as If-None-Match, so an unchanged snapshot costs one 304 and no
// bytes. A download lands in a temporary file that is renamed over the cached copy only when
// complete, and the ETag is recorded after that: a crash at any point leaves either the old
// copy with its ETag or a copy that the next fetch downloads again.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SnapshotLocation } from './snapshot-location.ts';

export interface FetchedSnapshot {
  path: string;
  /** downloaded: new bytes; not-modified: S3 answered 304 and the cached copy is current. */
  status: 'downloaded' | 'not-modified';
  etag: string;
}

interface CacheRecord {
  etag: string;
  bucket: string;
  key: string;
}

/**
 * No snapshot at the location: the advisory updater has not published one yet. S3 answers a
 * missing object with 404 to callers that may list the bucket and 403 to the rest (the task role
 * may only GetObject under the advisory prefix), so both mean "not there" here.
 */
export class SnapshotNotPublishedError extends Error {}

const statusOf = (error: unknown): number | undefined => (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
const isMissing = (error: unknown): boolean =>
  (error as Error).name !== 'NoSuchBucket' && ((error as Error).name === 'NoSuchKey' || statusOf(error) === 404 || statusOf(error) === 403);

const isNotModified = (error: unknown): boolean => statusOf(error) === 304;

export async function fetchSnapshot(client: S3Client, location: SnapshotLocation, cacheDir: string): Promise<FetchedSnapshot> {
  await mkdir(cacheDir, { recursive: true });
  const name = createHash('sha256').update(`${location.bucket}/${location.key}`).digest('hex').slice(0, 32);
  const path = join(cacheDir, `${name}.db`);
  const recordPath = join(cacheDir, `${name}.etag.json`);
  const cached = await readFile(recordPath, 'utf8')
    .then((text) => JSON.parse(text) as CacheRecord)
    .catch(() => undefined);
  // The ETag counts only if the file it describes is still there.
  const cachedEtag =
    cached &&
    (await stat(path).then(
      () => true,
      () => false,
    ))
      ? cached.etag
      : undefined;

  let response;
  try {
    // Imported here: a scan against a snapshot file (the CLI's usual case) never loads the S3 client.
    const { GetObjectCommand } = await import('@aws-sdk/client-s3');
    response = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key, ...(cachedEtag ? { IfNoneMatch: cachedEtag } : {}) }));
  } catch (error) {
    if (cachedEtag && isNotModified(error)) return { path, status: 'not-modified', etag: cachedEtag };
    if (isMissing(error)) throw new SnapshotNotPublishedError(`no advisory snapshot published at s3://${location.bucket}/${location.key}`, { cause: error });
    throw new Error(`advisory snapshot s3://${location.bucket}/${location.key}: ${(error as Error).message}`, { cause: error });
  }
  if (!response.ETag || !response.Body) throw new Error(`advisory snapshot s3://${location.bucket}/${location.key}: S3 sent no ETag or body`);
  const part = `${path}.${process.pid}.part`;
  try {
    await pipeline(response.Body as Readable, createWriteStream(part));
    const size = (await stat(part)).size;
    if (response.ContentLength !== undefined && size !== response.ContentLength) {
      throw new Error(`advisory snapshot s3://${location.bucket}/${location.key}: download cut short (${size} of ${response.ContentLength} bytes)`);
    }
    await rename(part, path);
  } finally {
    await rm(part, { force: true });
  }
  await writeFile(recordPath, JSON.stringify({ etag: response.ETag, bucket: location.bucket, key: location.key } satisfies CacheRecord));
  return { path, status: 'downloaded', etag: response.ETag };
}
