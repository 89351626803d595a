// Uploads that ingest could not finish inside API Gateway's 29 s are ingested by a job instead.
// POST /api/scans/upload validates the envelope (so a bad one is still a 400), then either
// ingests it at once (small envelopes) or records an ingest request on the scan, keeps the
// envelope in the upload area of the bucket and queues the request: 202 INGESTING. The ingest
// job (functions/jobs/ingest/) runs the same ingestEnvelope; the uploader polls GET …/status.
//
// Idempotent by scan id + envelope SHA-256: the same envelope again is answered from what is
// stored (COMPLETE: the results; pending: 202 again) and is never ingested twice.
import { gzipSync } from 'node:zlib';
import * as z from '#shared/validation.ts';
import { scanEnvelopeSchema, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import type { Principal } from '../identity/principal.ts';
import { NotFoundError } from '#shared/errors.ts';
import { assertMayUpload, ENVELOPE_UPLOAD_PREFIX, readUploadedEnvelope, type EnvelopeUploadStore } from './envelope-upload.ts';
import { alreadyIngested, imageOf, ingestEnvelope, prepareUpload, type IngestDeps } from './ingest-envelope.ts';
import { tagNameOf, type Scan } from './scan.ts';

/**
 * Envelopes with more vulnerabilities than this are ingested by the job. Ingest's cost is its
 * DynamoDB writes, about two per finding (the finding and its first sighting): a few thousand
 * stay well inside the request budget, 20,000 did not.
 */
export const SYNCHRONOUS_INGEST_MAX_VULNERABILITIES = 2_000;

export const ingestRequestMessageSchema = z.strictObject({
  orgId: z.string().check(z.minLength(1)),
  scanId: z.string().check(z.minLength(1)),
  envelopeS3Key: z.string().check(z.minLength(1)),
  envelopeSha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** Who uploaded: the job acts as that credential, with the same rules. */
  actor: z.strictObject({ credentialId: z.string(), scanId: z.optional(z.string()), sourceIp: z.optional(z.string()) }),
});
export type IngestRequestMessage = z.infer<typeof ingestRequestMessageSchema>;

export interface IngestQueue {
  enqueue(message: IngestRequestMessage): Promise<void>;
}

export interface IngestRequestDeps extends IngestDeps {
  uploads: EnvelopeUploadStore;
  ingestQueue: IngestQueue;
  settings: { scanTimeoutMs: number };
}

export type UploadOutcome = { ingested: Scan } | { accepted: { id: string; status: 'INGESTING' } };

/** POST /api/scans/upload, once the envelope is valid: ingest it now, or have the job do it. */
export async function acceptUpload(
  actor: Principal,
  envelope: ScanEnvelope,
  deps: IngestRequestDeps,
  uploaded?: { envelopeS3Key: string },
): Promise<UploadOutcome> {
  const prepared = await prepareUpload(actor, envelope, deps);
  const { existing, digest } = prepared;
  if (alreadyIngested(existing, digest)) return { ingested: existing! };
  const pending = existing?.pendingIngest?.envelopeSha256 === digest;
  // Objects behind pre-signed URLs are beyond 10 MB: never small.
  if (!pending && !uploaded && envelope.vulnerabilities.length <= SYNCHRONOUS_INGEST_MAX_VULNERABILITIES)
    return { ingested: await ingestEnvelope(actor, envelope, deps, digest) };

  const accepted = { accepted: { id: envelope.scan.id, status: 'INGESTING' as const } };
  const envelopeS3Key = uploaded?.envelopeS3Key ?? `${ENVELOPE_UPLOAD_PREFIX}${actor.orgId}/${envelope.scan.id}/${digest.slice(0, 32)}.json.gz`;
  if (!uploaded) await deps.uploads.write(envelopeS3Key, gzipSync(JSON.stringify(envelope)));
  // Already requested (a retry whose first answer was lost): queue it again, in case the first
  // request never reached the queue; the job ingests a request once, whatever its copies.
  if (!pending) {
    const now = deps.now();
    const pendingIngest = { envelopeSha256: digest, requestedAt: now.toISOString() };
    if (existing) {
      // A scan that FAILED (past its deadline, say) stays so until the job has its results.
      const active = existing.status === 'QUEUED' || existing.status === 'IN_PROGRESS';
      const recorded = await deps.scans.transitionScan(actor.orgId, existing.id, [existing.status], {
        pendingIngest,
        updatedAt: now.toISOString(),
        ...(active ? { progress: { stage: 'ingesting', percent: 100 } } : {}),
      });
      // It moved meanwhile (cancelled, deleted, completed): answer as a fresh upload would.
      if (!recorded) return acceptUpload(actor, envelope, deps, uploaded);
    } else {
      try {
        await deps.scans.createScans([await ingestingScan(actor, envelope, now, deps.settings.scanTimeoutMs, pendingIngest, deps)]);
      } catch (error) {
        // Another upload created the scan first: answer as if it had been there all along.
        if (await deps.scans.getScan(actor.orgId, envelope.scan.id)) return acceptUpload(actor, envelope, deps, uploaded);
        throw error;
      }
    }
  }
  await deps.ingestQueue.enqueue({
    orgId: actor.orgId,
    scanId: envelope.scan.id,
    envelopeS3Key,
    envelopeSha256: digest,
    actor: { credentialId: actor.credentialId, ...(actor.scanId ? { scanId: actor.scanId } : {}), ...(actor.sourceIp ? { sourceIp: actor.sourceIp } : {}) },
  });
  return accepted;
}

/**
 * A sensor-initiated scan being ingested: IN_PROGRESS, so that its status can be polled, with
 * a deadline after which the reaper fails it should the job never finish.
 */
async function ingestingScan(
  actor: Principal,
  envelope: ScanEnvelope,
  now: Date,
  timeoutMs: number,
  pendingIngest: Scan['pendingIngest'],
  deps: Pick<IngestDeps, 'scans'>,
): Promise<Scan> {
  const image = imageOf(envelope);
  const at = now.toISOString();
  return {
    id: envelope.scan.id,
    orgId: actor.orgId,
    tagId: await deps.scans.ensureTag(actor.orgId, image.name, tagNameOf(image)),
    image,
    status: 'IN_PROGRESS',
    scanners: envelope.scanners.map((s) => s.name),
    compliance: null,
    riskScore: null,
    duration: null,
    scannedAt: null,
    requestedAt: envelope.scan.startedAt ?? at,
    updatedAt: at,
    source: 'sensor',
    progress: { stage: 'ingesting', percent: 100 },
    deadline: new Date(now.getTime() + timeoutMs).toISOString(),
    pendingIngest,
  };
}

/**
 * The job's half: ingest what the request recorded, unless the scan has moved on (deleted,
 * cancelled, or a newer upload superseded this one), which is not an error but nothing to do.
 */
export async function runIngestRequest(
  message: IngestRequestMessage,
  deps: IngestDeps & Pick<IngestRequestDeps, 'uploads'>,
): Promise<'ingested' | 'superseded'> {
  const scan = await deps.scans.getScan(message.orgId, message.scanId);
  if (scan?.pendingIngest?.envelopeSha256 !== message.envelopeSha256 || scan.status === 'CANCELLED') return 'superseded';
  const actor: Principal = {
    orgId: message.orgId,
    role: 'viewer',
    kind: 'api_key',
    sensor: true,
    credentialId: message.actor.credentialId,
    ...(message.actor.scanId ? { scanId: message.actor.scanId } : {}),
    ...(message.actor.sourceIp ? { sourceIp: message.actor.sourceIp } : {}),
  };
  const { envelope } = await readUploadedEnvelope(actor, message.envelopeS3Key, deps);
  const parsed = scanEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) return 'superseded';
  const prepared = await prepareUpload(actor, parsed.data, deps);
  // Validated when it was accepted: anything else now is another object under the same key.
  if (prepared.digest !== message.envelopeSha256) return 'superseded';
  await ingestEnvelope(actor, parsed.data, deps, prepared.digest);
  return 'ingested';
}

/**
 * GET /api/scans/{scanId}/ingest: how an upload the job took is doing, for the uploader (a
 * sensor key, or the scan's own task key). `ingesting` until the job has stored it, or until
 * the scan ended otherwise (the reaper failed it past its deadline, someone cancelled it).
 */
export async function ingestStatus(actor: Principal, scanId: string, deps: Pick<IngestDeps, 'scans'>): Promise<{ scan: Scan; ingesting: boolean }> {
  assertMayUpload(actor, scanId);
  const scan = await deps.scans.getScan(actor.orgId, scanId);
  if (!scan) throw new NotFoundError(`Scan ${scanId} not found`);
  return { scan, ingesting: scan.pendingIngest !== undefined && (scan.status === 'IN_PROGRESS' || scan.status === 'QUEUED' || scan.status === 'COMPLETE') };
}
