// Reading small JSON documents (index, manifest, config) from a store, checked against their digest.
import { createHash } from 'node:crypto';
import { type BlobStore, blobPath, METADATA_LIMIT } from './blob-store.ts';
import { ImageIntegrityError, ImageSourceError } from '#shared/registry/image-errors.ts';

export function parseJson<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch {
    throw new ImageIntegrityError(`${what} is not valid JSON`);
  }
}

export function verifyDigest(bytes: Buffer, digest: string, what: string): void {
  const [algorithm] = digest.split(':');
  const actual = `${algorithm}:${createHash(algorithm === 'sha512' ? 'sha512' : 'sha256')
    .update(bytes)
    .digest('hex')}`;
  if (actual !== digest) throw new ImageIntegrityError(`${what} digest mismatch: expected ${digest}, got ${actual}`);
}

export async function readJsonBlob<T>(store: BlobStore, digest: string, what: string): Promise<{ value: T; bytes: Buffer }> {
  const bytes = await store.readSmall(blobPath(digest), METADATA_LIMIT);
  if (!bytes) throw new ImageSourceError(`${what} ${digest} is missing from the image`);
  verifyDigest(bytes, digest, what);
  return { value: parseJson<T>(bytes, what), bytes };
}
