// Read access to the files of an image on disk, whatever holds them: a directory or a tar archive.
import type { Readable } from 'node:stream';
import { DIGEST } from '#shared/image-reference/image-reference.ts';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';

export interface BlobStore {
  /** A small file (index, manifest, config) read whole, refusing anything above `limit`; undefined when absent. */
  readSmall(path: string, limit: number): Promise<Buffer | undefined>;
  open(path: string): Promise<Readable>;
  close(): Promise<void>;
}

/** Manifests and configs are small; anything larger is not an image this engine should trust. */
export const METADATA_LIMIT = 8 * 1024 * 1024;

/**
 * Digests from manifests become file names and registry URLs: accept only `algorithm:hex` of
 * the right length, so a manifest can point neither outside the store nor at another URL path.
 */
export function wellFormedDigest(digest: unknown): string {
  if (typeof digest !== 'string' || !DIGEST.test(digest)) throw new ImageIntegrityError(`malformed digest "${String(digest).slice(0, 100)}"`);
  return digest;
}

export function blobPath(digest: string): string {
  const [algorithm, hex] = wellFormedDigest(digest).split(':');
  return `blobs/${algorithm}/${hex}`;
}
