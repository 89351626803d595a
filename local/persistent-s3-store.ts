// fauxqs's S3 with its buckets and objects kept on disk, so that a restarted `npm start` still
// has every scan's packages, layers and raw scanner output. fauxqs keeps S3 in memory and has no
// persistence option; its store class is the one seam it offers (buildApp({ stores })), so this
// subclasses it and writes through to disk. The class is not in the package's exports: it is
// loaded by file path from the pinned fauxqs 1.9.2 (dist/s3/s3Store.js), and
// test/local/restart-recovery.test.ts checks that artifacts survive a restart.
//
// Every write reaches the disk before it is acknowledged (one file per object, written whole and
// renamed into place), so even a killed process loses nothing and shutdown has nothing to flush.
// Multipart uploads still in progress are not kept.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../shared/logging/logger.ts';

interface StoredObject {
  key: string;
  body: Buffer;
  contentType: string;
  etag: string;
  lastModified: Date;
  metadata: Record<string, string>;
}

/** The part of fauxqs's S3Store that its S3 routes write through. */
export interface FauxqsS3Store {
  createBucket(name: string): void;
  deleteBucket(name: string): void;
  hasBucket(name: string): boolean;
  putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): StoredObject;
  deleteObject(bucket: string, key: string): void;
  createMultipartUpload(bucket: string, key: string, contentType?: string, metadata?: Record<string, string>): string;
  completeMultipartUpload(uploadId: string, parts: Array<{ partNumber: number; etag: string }>): StoredObject;
  abortMultipartUpload(uploadId: string): void;
}

/** Names become file names through a hash: bucket names and keys may hold '/', '..' or 1 KB. */
const fileName = (name: string) => createHash('sha256').update(name).digest('hex');
const BUCKET_FILE = 'bucket.json';
const OBJECT_SUFFIX = '.object';

/** One object as one file: a 4-byte header length, the JSON header, then the body. */
function encodeObject(object: StoredObject): Buffer {
  const header = Buffer.from(
    JSON.stringify({
      key: object.key,
      contentType: object.contentType,
      etag: object.etag,
      lastModified: object.lastModified.toISOString(),
      metadata: object.metadata,
    }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  return Buffer.concat([length, header, object.body]);
}

function decodeObject(bytes: Buffer): StoredObject {
  const headerEnd = 4 + bytes.readUInt32BE(0);
  const header = JSON.parse(bytes.subarray(4, headerEnd).toString('utf8')) as Omit<StoredObject, 'body' | 'lastModified'> & { lastModified: string };
  return { ...header, lastModified: new Date(header.lastModified), body: bytes.subarray(headerEnd) };
}

let written = 0;
/** Whole or not at all: a rename replaces the file atomically. */
function writeAtomically(path: string, bytes: Buffer | string): void {
  const temporary = `${path}.tmp-${process.pid}-${written++}`;
  writeFileSync(temporary, bytes);
  renameSync(temporary, path);
}

export async function persistentS3Store(directory: string): Promise<FauxqsS3Store> {
  const storeModule = new URL('./s3/s3Store.js', import.meta.resolve('fauxqs'));
  const { S3Store } = (await import(storeModule.href)) as { S3Store: new () => FauxqsS3Store };

  class PersistentS3Store extends S3Store {
    /** Which bucket each multipart upload completes into (fauxqs keeps that private). */
    private readonly uploadBuckets = new Map<string, string>();

    constructor() {
      super();
      mkdirSync(directory, { recursive: true });
      for (const entry of readdirSync(directory, { withFileTypes: true })) {
        if (entry.isDirectory()) this.load(join(directory, entry.name));
      }
    }

    private load(bucketDir: string): void {
      let name: string;
      try {
        name = (JSON.parse(readFileSync(join(bucketDir, BUCKET_FILE), 'utf8')) as { name: string }).name;
      } catch {
        return; // not a bucket this store wrote
      }
      super.createBucket(name);
      for (const file of readdirSync(bucketDir)) {
        if (!file.endsWith(OBJECT_SUFFIX)) continue;
        try {
          const object = decodeObject(readFileSync(join(bucketDir, file)));
          const loaded = super.putObject(name, object.key, object.body, object.contentType, object.metadata);
          // As it was stored, not as if uploaded now.
          Object.assign(loaded, { etag: object.etag, lastModified: object.lastModified });
        } catch (error) {
          logger.warn('local s3: skipped an unreadable object', { file: join(bucketDir, file), error: error as Error });
        }
      }
    }

    private bucketDir(bucket: string): string {
      return join(directory, fileName(bucket));
    }

    private objectPath(bucket: string, key: string): string {
      return join(this.bucketDir(bucket), fileName(key) + OBJECT_SUFFIX);
    }

    private persist(bucket: string, object: StoredObject): StoredObject {
      writeAtomically(this.objectPath(bucket, object.key), encodeObject(object));
      return object;
    }

    override createBucket(name: string): void {
      const existed = this.hasBucket(name);
      super.createBucket(name);
      if (existed) return;
      mkdirSync(this.bucketDir(name), { recursive: true });
      writeAtomically(join(this.bucketDir(name), BUCKET_FILE), JSON.stringify({ name }));
    }

    override deleteBucket(name: string): void {
      super.deleteBucket(name);
      rmSync(this.bucketDir(name), { recursive: true, force: true });
    }

    override putObject(bucket: string, key: string, body: Buffer, contentType?: string, metadata?: Record<string, string>): StoredObject {
      return this.persist(bucket, super.putObject(bucket, key, body, contentType, metadata));
    }

    override deleteObject(bucket: string, key: string): void {
      super.deleteObject(bucket, key);
      rmSync(this.objectPath(bucket, key), { force: true });
    }

    override createMultipartUpload(bucket: string, key: string, contentType?: string, metadata?: Record<string, string>): string {
      const uploadId = super.createMultipartUpload(bucket, key, contentType, metadata);
      this.uploadBuckets.set(uploadId, bucket);
      return uploadId;
    }

    override completeMultipartUpload(uploadId: string, parts: Array<{ partNumber: number; etag: string }>): StoredObject {
      const object = super.completeMultipartUpload(uploadId, parts);
      const bucket = this.uploadBuckets.get(uploadId)!;
      this.uploadBuckets.delete(uploadId);
      return this.persist(bucket, object);
    }

    override abortMultipartUpload(uploadId: string): void {
      super.abortMultipartUpload(uploadId);
      this.uploadBuckets.delete(uploadId);
    }
  }

  return new PersistentS3Store();
}
