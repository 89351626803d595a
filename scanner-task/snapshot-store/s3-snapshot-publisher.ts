// Publishes a built advisory snapshot to S3, where scanner tasks fetch it (also the updater's
// SnapshotPublisher port). The snapshot's content hash travels as object metadata: publishing
// the same content again is skipped, so the object's ETag — and every task's cached copy —
// stays valid until the advisories really change.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SnapshotHeader } from '#shared/matching/snapshot-format.ts';
import type { SnapshotPublisher } from '../match/updater/update-advisories.ts';
import type { SnapshotLocation } from '#shared/snapshots/snapshot-location.ts';

export type PublishResult = { status: 'published'; etag: string } | { status: 'unchanged' };

const CONTENT_HASH = 'content-hash';

export async function publishSnapshot(client: S3Client, location: SnapshotLocation, file: string, header: SnapshotHeader): Promise<PublishResult> {
  const { bucket, key } = location;
  const current = await client
    .send(new HeadObjectCommand({ Bucket: bucket, Key: key }))
    .catch((error: { name?: string; $metadata?: { httpStatusCode?: number } }) => {
      // A missing object answers 404 only to callers that may list the bucket, 403 to the rest
      // (the deployed updater may touch the snapshot object alone): either way nothing is known
      // to be there, and the PUT that follows says whether this caller may write.
      if (error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404 || error.$metadata?.httpStatusCode === 403) return undefined;
      throw error;
    });
  if (current?.Metadata?.[CONTENT_HASH] === header.contentHash) return { status: 'unchanged' };
  const put = await client.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: createReadStream(file),
      ContentLength: (await stat(file)).size,
      ContentType: 'application/octet-stream',
      Metadata: { [CONTENT_HASH]: header.contentHash, ...(header.newestModified ? { 'newest-modified': header.newestModified } : {}) },
    }),
  );
  return { status: 'published', etag: put.ETag ?? '' };
}

export const s3SnapshotPublisher = (client: S3Client, location: SnapshotLocation): SnapshotPublisher => ({
  publish: async (file, header) => void (await publishSnapshot(client, location, file, header)),
});
