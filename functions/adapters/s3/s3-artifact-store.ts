// Where a scan's large results live: packages, layers, checks and scanner records as one
// gzipped JSON object per scan in S3 (ScanArtifactStore). The endpoint comes from
// AWS_ENDPOINT_URL_S3 when set.
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
// Type-only: the SDK loads when the composition root creates the client (see lazy-port.ts); a
// value import here would be hoisted to the top of every Lambda bundle that contains this file.
import type { S3 } from '@aws-sdk/client-s3';
import type { ScanArtifacts, ScanArtifactStore } from '#domain/scans/scan-store.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const objectKey = (orgId: string, scanId: string) => `orgs/${orgId}/scans/${scanId}/artifacts.json.gz`;

export class S3ArtifactStore implements ScanArtifactStore {
  constructor(
    private readonly client: S3,
    private readonly bucket: string,
  ) {}

  async putArtifacts(orgId: string, scanId: string, artifacts: ScanArtifacts): Promise<void> {
    await this.client.putObject({
      Bucket: this.bucket,
      Key: objectKey(orgId, scanId),
      Body: await gzipAsync(JSON.stringify(artifacts)),
      ContentType: 'application/json',
      ContentEncoding: 'gzip',
    });
  }

  async getArtifacts(orgId: string, scanId: string): Promise<ScanArtifacts | undefined> {
    try {
      const result = await this.client.getObject({ Bucket: this.bucket, Key: objectKey(orgId, scanId) });
      const body = await result.Body!.transformToByteArray();
      return JSON.parse((await gunzipAsync(body)).toString('utf8')) as ScanArtifacts;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  async deleteArtifacts(orgId: string, scanId: string): Promise<void> {
    await this.client.deleteObject({ Bucket: this.bucket, Key: objectKey(orgId, scanId) });
  }
}
