// Raw outputs: each external scanner's own JSON for a scan, kept as it printed it (gzip), next
// to the scan's other objects and deleted with it. The scanner task uploads them after the
// envelope, through the same pre-signed PUT flow as a large envelope
// (POST /api/scans/upload-url with `scanner`), straight to the object's final key; users fetch
// one through a short-lived pre-signed GET URL (GET /api/scans/{id}/raw/{scanner}), because a
// raw output may be far beyond Lambda's 6 MB response.
import { NotFoundError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import { uploadTarget, UPLOAD_URL_TTL_SECONDS } from './envelope-upload.ts';
import { isRawOutputScanner, type RawOutputScanner } from '#shared/scans/scanners.ts';
import type { ScanStore } from './scan-store.ts';

export const DOWNLOAD_URL_TTL_SECONDS = 5 * 60;

export interface RawOutputStore {
  /** A URL that lets its holder PUT this scanner's raw output of the scan until it expires, and the object's key. */
  presignPut(orgId: string, scanId: string, scanner: RawOutputScanner, expiresInSeconds: number): Promise<{ url: string; key: string }>;
  /** A URL to GET the stored raw output until it expires; undefined when none is stored. */
  presignGet(orgId: string, scanId: string, scanner: RawOutputScanner, expiresInSeconds: number): Promise<string | undefined>;
  /** Removes every raw output of the scan (none stored is fine). */
  deleteAll(orgId: string, scanId: string): Promise<void>;
}

interface Deps {
  scans: ScanStore;
  rawOutputs: RawOutputStore;
  now: () => Date;
}

const expiresAt = (deps: Deps, seconds: number) => new Date(deps.now().getTime() + seconds * 1000).toISOString();

/**
 * An upload URL for a scan that exists in the caller's organisation: an object is never left
 * without its scan. Like the envelope's, refused to a task whose scan was deleted or cancelled.
 */
export async function createRawOutputUpload(actor: Principal, scanId: string, scanner: RawOutputScanner, deps: Deps) {
  if (!(await uploadTarget(actor, scanId, deps))) throw new NotFoundError(`Scan ${scanId} not found`);
  const { url, key } = await deps.rawOutputs.presignPut(actor.orgId, scanId, scanner, UPLOAD_URL_TTL_SECONDS);
  return { url, method: 'PUT' as const, rawOutputS3Key: key, expiresAt: expiresAt(deps, UPLOAD_URL_TTL_SECONDS) };
}

/** A download URL for one raw output of a scan of the caller's organisation. */
export async function rawOutputDownload(actor: Principal, scanId: string, scanner: string, deps: Deps) {
  if (!(await deps.scans.getScan(actor.orgId, scanId))) throw new NotFoundError(`Scan ${scanId} not found`);
  const url = isRawOutputScanner(scanner) ? await deps.rawOutputs.presignGet(actor.orgId, scanId, scanner, DOWNLOAD_URL_TTL_SECONDS) : undefined;
  if (!url) throw new NotFoundError(`Scan ${scanId} has no raw output of scanner ${scanner.slice(0, 64)}`);
  return { scanner, url, method: 'GET' as const, contentEncoding: 'gzip' as const, expiresAt: expiresAt(deps, DOWNLOAD_URL_TTL_SECONDS) };
}
