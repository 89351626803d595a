// Upload objects for large envelopes (EnvelopeUploadStore) in the artifact bucket, under
// uploads/. Pre-signing loads @aws-sdk/s3-request-presigner on first use only.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { S3 } from '@aws-sdk/client-s3';
import type { EnvelopeUploadStore } from '#domain/scans/envelope-upload.ts';

export class S3EnvelopeUploads implements EnvelopeUploadStore {
  constructor(
    private readonly client: S3,
    private readonly bucket: string,
  ) {}

  async presignPut(key: string, expiresInSeconds: number): Promise<string> {
    const [{ PutObjectCommand }, { getSignedUrl }] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/s3-request-presigner')]);
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: expiresInSeconds });
  }

  async write(key: string, bytes: Uint8Array): Promise<void> {
    await this.client.putObject({ Bucket: this.bucket, Key: key, Body: bytes, ContentType: 'application/json' });
  }

  async read(key: string, maxBytes: number): Promise<Uint8Array | undefined | 'too-large'> {
    try {
      const result = await this.client.getObject({ Bucket: this.bucket, Key: key });
      // Refused before reading when the object's metadata already says it is too large.
      if (result.ContentLength !== undefined && result.ContentLength > maxBytes) {
        await result.Body?.transformToWebStream().cancel();
        return 'too-large';
      }
      const bytes = await result.Body!.transformToByteArray();
      return bytes.length > maxBytes ? 'too-large' : bytes;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }
}
