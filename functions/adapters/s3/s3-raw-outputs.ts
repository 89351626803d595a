// Scanners' raw outputs (RawOutputStore) in the artifact bucket, one gzip object per scanner
// under the scan's prefix. Pre-signing loads @aws-sdk/s3-request-presigner on first use only.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { S3 } from '@aws-sdk/client-s3';
import { type RawOutputStore } from '#domain/scans/raw-outputs.ts';
import { RAW_OUTPUT_SCANNERS, type RawOutputScanner } from '#shared/scans/scanners.ts';

export const rawOutputKey = (orgId: string, scanId: string, scanner: RawOutputScanner) => `orgs/${orgId}/scans/${scanId}/raw/${scanner}.json.gz`;
/** Every raw output of every scan, as an IAM resource pattern (infra grants reading this alone). */
export const RAW_OUTPUT_OBJECTS = 'orgs/*/scans/*/raw/*';

const presigner = () => Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);

export class S3RawOutputs implements RawOutputStore {
  constructor(
    private readonly client: S3,
    private readonly bucket: string,
  ) {}

  async presignPut(orgId: string, scanId: string, scanner: RawOutputScanner, expiresInSeconds: number): Promise<{ url: string; key: string }> {
    const [{ PutObjectCommand }, { getSignedUrl }] = await presigner();
    const key = rawOutputKey(orgId, scanId, scanner);
    return { url: await getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds }), key };
  }

  async presignGet(orgId: string, scanId: string, scanner: RawOutputScanner, expiresInSeconds: number): Promise<string | undefined> {
    const key = rawOutputKey(orgId, scanId, scanner);
    try {
      await this.client.headObject({ Bucket: this.bucket, Key: key });
    } catch (error) {
      // Without s3:ListBucket (which would let this function list every organisation's keys),
      // S3 answers HEAD on a missing object with 403; with GetObject on these keys, that is absence.
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if ((error as Error).name === 'NotFound' || status === 404 || status === 403) return undefined;
      throw error;
    }
    const [{ GetObjectCommand }, { getSignedUrl }] = await presigner();
    const download = new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: `attachment; filename="${scanId}-${scanner}.json.gz"` });
    return getSignedUrl(this.client, download, { expiresIn: expiresInSeconds });
  }

  async deleteAll(orgId: string, scanId: string): Promise<void> {
    // The keys are known (one per scanner): deleting them needs no s3:ListBucket.
    await Promise.all(RAW_OUTPUT_SCANNERS.map((scanner) => this.client.deleteObject({ Bucket: this.bucket, Key: rawOutputKey(orgId, scanId, scanner) })));
  }
}
