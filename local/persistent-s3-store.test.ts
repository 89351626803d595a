// fauxqs's S3 with the persistent store, through the real S3 protocol: what was written (put,
// overwritten, uploaded in parts) is there after a restart on the same folder, and what was
// deleted is not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { afterAll, expect, it } from 'vitest';
import { startFauxqsOnLoopback } from './local-aws.ts';

const dir = mkdtempSync(join(tmpdir(), 'hg-s3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function withS3<T>(use: (s3: S3Client) => Promise<T>): Promise<T> {
  const fauxqs = await startFauxqsOnLoopback(dir);
  const s3 = new S3Client({ endpoint: `http://127.0.0.1:${fauxqs.port}`, forcePathStyle: true });
  try {
    return await use(s3);
  } finally {
    s3.destroy();
    await fauxqs.stop();
  }
}

const text = async (s3: S3Client, Key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key }))).Body!.transformToString();

it('keeps buckets and objects across restarts, and forgets deleted ones', async () => {
  const key = 'orgs/org-1/scans/scn-1/artifacts.json.gz';
  const etag = await withS3(async (s3) => {
    await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key, Body: 'first', ContentType: 'application/gzip' }));
    const put = await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: key, Body: 'second', ContentType: 'application/gzip' }));
    await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'gone', Body: 'x' }));
    await s3.send(new DeleteObjectsCommand({ Bucket: 'artifacts', Delete: { Objects: [{ Key: 'gone' }] } }));
    const upload = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'artifacts', Key: 'uploads/big' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: 'artifacts', Key: 'uploads/big', UploadId: upload.UploadId, PartNumber: 1, Body: 'in parts' }));
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'artifacts',
        Key: 'uploads/big',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    return put.ETag;
  });

  await withS3(async (s3) => {
    const object = await s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: key }));
    expect([await object.Body!.transformToString(), object.ContentType, object.ETag]).toEqual(['second', 'application/gzip', etag]);
    expect(await text(s3, 'uploads/big')).toBe('in parts');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'artifacts' }));
    expect(listed.Contents?.map((o) => o.Key).sort()).toEqual([key, 'uploads/big']);
  });
});
