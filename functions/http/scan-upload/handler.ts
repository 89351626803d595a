// Route group: ingest of scan envelopes from scanner tasks and sensors, directly or (beyond
// API Gateway's 10 MB) through a pre-signed S3 upload; large ones are ingested by the ingest
// job (202, then GET /api/scans/{scanId}/ingest until done); and upload URLs for scanners' raw outputs.
import * as z from '#shared/validation.ts';
import { scanEnvelopeSchema, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { ValidationError } from '#shared/errors.ts';
import { type Scan } from '#domain/scans/scan.ts';
import { SCAN_ID_PATTERN } from '#shared/scans/scan-contract.ts';
import { createEnvelopeUpload, readUploadedEnvelope } from '#domain/scans/envelope-upload.ts';
import { failureReportSchema, progressReportSchema, reportFailure, reportProgress } from '#domain/pipeline/task-reports.ts';
import { acceptUpload, ingestStatus } from '#domain/scans/ingest-request.ts';
import { createRawOutputUpload } from '#domain/scans/raw-outputs.ts';
import { RAW_OUTPUT_SCANNERS } from '#shared/scans/scanners.ts';
import { jsonBody, validated } from '../http-request.ts';
import { json } from '../http-response.ts';
import { scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';

/** Decompressed envelope size accepted (a gzip body may be far smaller on the wire). */
const MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;

const uploadReference = z.strictObject({ envelopeS3Key: z.string().check(z.minLength(1), z.maxLength(512)) });
/** Without `scanner`, a URL for an envelope; with it, for that scanner's raw output of the scan. */
const uploadUrlRequest = z.strictObject({
  scanId: z.string().check(z.regex(SCAN_ID_PATTERN, 'expected a scan id such as scn-3kp9q1')),
  scanner: z.optional(z.enum(RAW_OUTPUT_SCANNERS)),
});
/** The body is an envelope, or a reference to one uploaded to S3; `envelopeS3Key` tells which. */
const uploadBody = (parsed: unknown): z.ZodMiniType<ScanEnvelope | z.infer<typeof uploadReference>> =>
  typeof parsed === 'object' && parsed !== null && 'envelopeS3Key' in parsed ? uploadReference : scanEnvelopeSchema;

/** What an uploader learns about its scan: the upload's answer, and GET …/ingest's. */
const uploadView = ({ id, status, riskScore, compliance, scannedAt, duration }: Scan) => ({ id, status, riskScore, compliance, scannedAt, duration });

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/scans/upload',
    access: { credentials: ['sensor_key', 'task'] },
    async handle({ event, principal, deps }) {
      const body = jsonBody(event, uploadBody, MAX_ENVELOPE_BYTES);
      let envelope: ScanEnvelope;
      if ('envelopeS3Key' in body) {
        const uploaded = await readUploadedEnvelope(principal, body.envelopeS3Key, deps);
        envelope = validated(scanEnvelopeSchema, uploaded.envelope);
        if (envelope.scan.id !== uploaded.scanId) {
          throw new ValidationError('Invalid envelope: scan.id', [
            { path: 'scan.id', message: `must be ${uploaded.scanId}, the scan the upload URL was issued for` },
          ]);
        }
      } else envelope = body;
      const outcome = await acceptUpload(principal, envelope, deps, 'envelopeS3Key' in body ? { envelopeS3Key: body.envelopeS3Key } : undefined);
      if ('accepted' in outcome) return json(202, { data: outcome.accepted });
      return json(200, { data: uploadView(outcome.ingested) });
    },
  },
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/ingest',
    access: { credentials: ['sensor_key', 'task'] },
    async handle(context) {
      const { scan, ingesting } = await ingestStatus(context.principal, scanIdParam(context), context.deps);
      return json(200, { data: { ...uploadView(scan), ...(ingesting ? { status: 'INGESTING' } : {}), ...(scan.failure ? { failure: scan.failure } : {}) } });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/upload-url',
    access: { credentials: ['sensor_key', 'task'] },
    async handle({ event, principal, deps }) {
      const { scanId, scanner } = jsonBody(event, uploadUrlRequest, 4096);
      const upload = scanner ? await createRawOutputUpload(principal, scanId, scanner, deps) : await createEnvelopeUpload(principal, scanId, deps);
      return json(201, { data: upload });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/progress',
    access: { credentials: ['task'] },
    async handle(context) {
      await reportProgress(context.principal, scanIdParam(context), jsonBody(context.event, progressReportSchema, 4096), context.deps);
      return json(200, { data: { accepted: true } });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/failure',
    access: { credentials: ['task'] },
    async handle(context) {
      await reportFailure(context.principal, scanIdParam(context), jsonBody(context.event, failureReportSchema, 8192), context.deps);
      return json(200, { data: { accepted: true } });
    },
  },
];

export const handler = httpHandler(routes);
