// Publishes a built advisory snapshot to S3, where scanner tasks fetch it (also the updater's
// SnapshotPublisher port). The snapshot's content hash travels as object metadata: publishing
// the same content again is skipped, so the object's ETag — and every task's cached copy —
// stays valid until the advisories really change. A snapshot is hundreds of MB: it goes up in
// parts (lib-storage's managed upload), each retried alone, rather than as one request that a
// dropped connection restarts from the first byte (and that S3-compatible stores may refuse).
import { createReadStream } from 'node:fs';
import { HeadObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { SnapshotHeader } from '#shared/matching/snapshot-format.ts';
import type { SnapshotPublisher } from '../match/updater/update-advisories.ts';
import type { SnapshotLocation } from '#shared/snapshots/snapshot-location.ts';

export type PublishResult = { status: 'published'; etag: string } | { status: 'unchanged' };

const CONTENT_HASH = 'content-hash';
/** S3's smallest part is 5 MiB; 8 MiB parts keep a 500 MB snapshot well inside its 10,000 parts. */
const PART_BYTES = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

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
  const upload = new Upload({
    client,
    partSize: PART_BYTES,
    queueSize: PARTS_IN_FLIGHT,
    leavePartsOnError: false,
    params: {
      Bucket: bucket,
      Key: key,
      Body: createReadStream(file),
      ContentType: 'application/octet-stream',
      Metadata: { [CONTENT_HASH]: header.contentHash, ...(header.newestModified ? { 'newest-modified': header.newestModified } : {}) },
    },
  });
  const put = await upload.done();
  return { status: 'published', etag: put.ETag ?? '' };
}

export const s3SnapshotPublisher = (client: S3Client, location: SnapshotLocation): SnapshotPublisher => ({
  publish: async (file, header) => void (await publishSnapshot(client, location, file, header)),
});
