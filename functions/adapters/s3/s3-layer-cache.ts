// The organisations' layer caches (LayerCacheObjects) in the artifact bucket, under layer-cache/:
// only pre-signed URLs, never a read or write of its own. Signing is local (no request to S3),
// so a URL for an absent entry costs nothing; its GET answers 403 (this function may not list
// the bucket, so S3 does not say 404), which the scanner takes as absent. Pre-signing loads
// @aws-sdk/s3-request-presigner on first use only.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { S3 } from '@aws-sdk/client-s3';
import { LAYER_CACHE_PREFIX, type LayerCacheObjects } from '#domain/scans/layer-cache-urls.ts';

/** Every organisation's entries, as an IAM resource pattern (infra grants the scan-upload function this, and no task role). */
export const LAYER_CACHE_OBJECTS = `${LAYER_CACHE_PREFIX}*`;

let loading: Promise<[typeof import('@aws-sdk/client-s3'), typeof import('@aws-sdk/s3-request-presigner')]> | undefined;
const presigner = () => (loading ??= Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]));

export class S3LayerCache implements LayerCacheObjects {
  constructor(
    private readonly client: S3,
    private readonly bucket: string,
  ) {}

  async presignGet(objectKey: string, expiresInSeconds: number): Promise<string> {
    const [{ GetObjectCommand }, { getSignedUrl }] = await presigner();
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: objectKey }), { expiresIn: expiresInSeconds });
  }

  async presignPut(objectKey: string, expiresInSeconds: number): Promise<string> {
    const [{ PutObjectCommand }, { getSignedUrl }] = await presigner();
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: objectKey }), { expiresIn: expiresInSeconds });
  }
}
