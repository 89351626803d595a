// Envelopes larger than API Gateway's 10 MB request limit travel through S3: a sensor (or a
// scanner task) asks for a pre-signed PUT URL for an object under its scan
// (POST /api/scans/upload-url), puts the gzip envelope there, then posts {envelopeS3Key} to
// /api/scans/upload, which reads it back — bounded — and ingests it exactly like a direct upload
// (same schema, same idempotency: repeating the request ingests the object again). Upload
// objects expire with the bucket's lifecycle rule for uploads/ (infra/stacks/stateful-stack.ts).
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { BadRequestError, ConflictError, ForbiddenError, PayloadTooLargeError, ValidationError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import type { Scan } from './scan.ts';
import type { ScanStore } from './scan-store.ts';

/** Where upload objects live in the artifact bucket (infra/ expires them after a day). */
export const ENVELOPE_UPLOAD_PREFIX = 'uploads/';
export const UPLOAD_URL_TTL_SECONDS = 15 * 60;
/** Bounds on what ingest reads back: the stored (gzip) object, and the envelope once gunzipped. */
export const MAX_UPLOADED_OBJECT_BYTES = 128 * 1024 * 1024;
export const MAX_UPLOADED_ENVELOPE_BYTES = 256 * 1024 * 1024;

const gunzipAsync = promisify(gunzip);
const UPLOAD_KEY = /^uploads\/([A-Za-z0-9_-]{1,64})\/(scn-[A-Za-z0-9_-]{1,64})\/[0-9a-f]{32}\.json\.gz$/;

export interface EnvelopeUploadStore {
  /** A URL that lets its holder PUT this one object until it expires. */
  presignPut(key: string, expiresInSeconds: number): Promise<string>;
  /** Stores an envelope the API received directly, for the ingest job (functions/domain/scans/ingest-request.ts). */
  write(key: string, bytes: Uint8Array): Promise<void>;
  /** The object's bytes; undefined when there is none; 'too-large' when it exceeds maxBytes. */
  read(key: string, maxBytes: number): Promise<Uint8Array | undefined | 'too-large'>;
}

export interface EnvelopeUploadUrl {
  url: string;
  method: 'PUT';
  envelopeS3Key: string;
  expiresAt: string;
}

/** Who may upload a scan's envelope (or raw outputs): a sensor key of the organisation; a task's key for its own scan only. */
export function assertMayUpload(actor: Principal, scanId: string): void {
  if (actor.kind !== 'api_key' || !actor.sensor) throw new ForbiddenError('Uploads require a sensor-scoped API key');
  if (actor.scanId !== undefined && actor.scanId !== scanId) throw new ForbiddenError(`This credential may only upload scan ${actor.scanId}`);
}

/**
 * The scan an upload may write, as stored now (undefined: a new sensor-initiated scan).
 * Refuses what no upload may do: another scan's task key; a task key whose scan was deleted
 * (its credential dies with the scan), including when a sensor has since uploaded a scan of the
 * same id (task keys are minted only for scans the dispatcher ran); and a cancelled scan.
 */
export async function uploadTarget(actor: Principal, scanId: string, deps: { scans: Pick<ScanStore, 'getScan'> }): Promise<Scan | undefined> {
  assertMayUpload(actor, scanId);
  const existing = await deps.scans.getScan(actor.orgId, scanId);
  if (actor.scanId !== undefined && existing?.source !== 'api')
    throw new ForbiddenError(`Scan ${scanId} no longer exists; a scanner task's credential cannot create a scan`);
  if (existing?.status === 'CANCELLED') throw new ConflictError(`Scan ${existing.id} was cancelled; its results are not accepted`);
  return existing;
}

export async function createEnvelopeUpload(
  actor: Principal,
  scanId: string,
  deps: { uploads: EnvelopeUploadStore; scans: Pick<ScanStore, 'getScan'>; now: () => Date },
): Promise<EnvelopeUploadUrl> {
  await uploadTarget(actor, scanId, deps);
  const envelopeS3Key = `${ENVELOPE_UPLOAD_PREFIX}${actor.orgId}/${scanId}/${randomBytes(16).toString('hex')}.json.gz`;
  const url = await deps.uploads.presignPut(envelopeS3Key, UPLOAD_URL_TTL_SECONDS);
  return { url, method: 'PUT', envelopeS3Key, expiresAt: new Date(deps.now().getTime() + UPLOAD_URL_TTL_SECONDS * 1000).toISOString() };
}

/**
 * The JSON an upload object holds (gzip or plain), for the scan its key was issued for. Only
 * keys of the caller's organisation, and of the caller's own scan for a task's key, are read.
 */
export async function readUploadedEnvelope(
  actor: Principal,
  envelopeS3Key: string,
  deps: { uploads: EnvelopeUploadStore },
): Promise<{ scanId: string; envelope: unknown }> {
  const match = UPLOAD_KEY.exec(envelopeS3Key);
  const refuse = (message: string): never => {
    throw new ValidationError(`Invalid envelopeS3Key: ${message}`, [{ path: 'envelopeS3Key', message }]);
  };
  if (!match || match[1] !== actor.orgId) return refuse('not a key this API gave out to your organisation');
  const scanId = match[2]!;
  assertMayUpload(actor, scanId);
  const stored = await deps.uploads.read(envelopeS3Key, MAX_UPLOADED_OBJECT_BYTES);
  if (stored === undefined) return refuse('nothing was uploaded to this key, or it expired');
  if (stored === 'too-large') throw new PayloadTooLargeError(`The uploaded object exceeds ${MAX_UPLOADED_OBJECT_BYTES} bytes`);
  let bytes = Buffer.from(stored);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = await gunzipAsync(bytes, { maxOutputLength: MAX_UPLOADED_ENVELOPE_BYTES + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE')
        throw new PayloadTooLargeError(`The uploaded envelope exceeds ${MAX_UPLOADED_ENVELOPE_BYTES} bytes`);
      throw new BadRequestError('The uploaded object is not valid gzip');
    }
  }
  if (bytes.length > MAX_UPLOADED_ENVELOPE_BYTES) throw new PayloadTooLargeError(`The uploaded envelope exceeds ${MAX_UPLOADED_ENVELOPE_BYTES} bytes`);
  try {
    return { scanId, envelope: JSON.parse(bytes.toString('utf8')) as unknown };
  } catch {
    throw new BadRequestError('The uploaded object is not valid JSON');
  }
}
