// Route group: ingest of scan envelopes from scanner tasks and sensors, directly or (beyond
// API Gateway's 10 MB) through a pre-signed S3 upload; large ones are ingested by the ingest
// job (202, then GET /api/scans/{scanId}/ingest until done); upload URLs for scanners' raw outputs;
// and URLs of the organisation's layer-cache entries, for scanners.
import * as z from '#shared/validation.ts';
import { COMPLIANCE_GRADES, scanEnvelopeSchema, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { ValidationError } from '#shared/errors.ts';
import { SCAN_STATUSES, type Scan } from '#domain/scans/scan.ts';
import { FAILURE_CODES, SCAN_ID_PATTERN } from '#shared/scans/scan-contract.ts';
import { createEnvelopeUpload, readUploadedEnvelope } from '#domain/scans/envelope-upload.ts';
import { failureReportSchema, progressReportSchema, reportFailure, reportProgress } from '#domain/pipeline/task-reports.ts';
import { acceptUpload, ingestStatus } from '#domain/scans/ingest-request.ts';
import { createRawOutputUpload } from '#domain/scans/raw-outputs.ts';
import { layerCacheUrls, LAYER_CACHE_URL_TTL_SECONDS } from '#domain/scans/layer-cache-urls.ts';
import { LAYER_CACHE_KEY, layerCacheUrlsSchema, MAX_LAYER_CACHE_KEYS_PER_REQUEST } from '#shared/layer-cache/layer-cache-contract.ts';
import { RAW_OUTPUT_SCANNERS } from '#shared/scans/scanners.ts';
import { jsonBody, validated } from '../http-request.ts';
import { json } from '../http-response.ts';
import { scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import { dataOf, isoTime, named } from '../api-schemas.ts';
import { scanIdParams } from '../scans/scan-schemas.ts';

/** Decompressed envelope size accepted (a gzip body may be far smaller on the wire). */
const MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;

const uploadReference = z.strictObject({ envelopeS3Key: z.string().check(z.minLength(1), z.maxLength(512)) });
/** Without `scanner`, a URL for an envelope; with it, for that scanner's raw output of the scan. */
const uploadUrlRequest = z.strictObject({
  scanId: z.string().check(z.regex(SCAN_ID_PATTERN, 'expected a scan id such as scn-3kp9q1')),
  scanner: z.optional(z.enum(RAW_OUTPUT_SCANNERS)),
});
const layerCacheRequest = z.strictObject({
  keys: z
    .array(z.string().check(z.regex(LAYER_CACHE_KEY, 'expected a layer-cache key: 64 lowercase hexadecimal characters')))
    .check(z.minLength(1), z.maxLength(MAX_LAYER_CACHE_KEYS_PER_REQUEST)),
});
/** The body is an envelope, or a reference to one uploaded to S3; `envelopeS3Key` tells which. */
const uploadBody = (parsed: unknown): z.ZodMiniType<ScanEnvelope | z.infer<typeof uploadReference>> =>
  typeof parsed === 'object' && parsed !== null && 'envelopeS3Key' in parsed ? uploadReference : scanEnvelopeSchema;

/** What an uploader learns about its scan: the upload's answer, and GET …/ingest's. */
const uploadView = ({ id, status, riskScore, compliance, scannedAt, duration }: Scan) => ({ id, status, riskScore, compliance, scannedAt, duration });
const uploadedScanSchema = named(
  'UploadedScan',
  z.object({
    id: z.string(),
    status: z.enum(SCAN_STATUSES),
    riskScore: z.nullable(z.number()),
    compliance: z.nullable(z.enum(COMPLIANCE_GRADES)),
    scannedAt: z.nullable(isoTime),
    duration: z.nullable(z.number()),
  }),
);
const ingestStatusSchema = z.object({
  ...uploadedScanSchema.shape,
  status: z.enum([...SCAN_STATUSES, 'INGESTING']),
  failure: z.optional(z.object({ code: z.enum(FAILURE_CODES), reason: z.string() })),
});
const envelopeUploadSchema = z.object({ url: z.url(), method: z.literal('PUT'), envelopeS3Key: z.string(), expiresAt: isoTime });
const rawOutputUploadSchema = z.object({ url: z.url(), method: z.literal('PUT'), rawOutputS3Key: z.string(), expiresAt: isoTime });
const layerCacheUrlsAnswer = named('LayerCacheUrls', layerCacheUrlsSchema);
const acceptedSchema = dataOf(z.object({ accepted: z.literal(true) }));

const tags = ['Scanner'] as const;
const SCANNERS = { credentials: ['sensor_key', 'task'] } as const;

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/scans/upload',
    access: SCANNERS,
    doc: {
      summary: 'Upload a scan envelope',
      description:
        'The scan results, as a scanner task or sensor produced them: the envelope itself (gzip allowed, 64 MB once decompressed), or `envelopeS3Key` of one uploaded to a pre-signed URL (POST /api/scans/upload-url). A large envelope is ingested by a job: 202, then poll GET /api/scans/{scanId}/ingest.',
      tags,
      body: z.union([scanEnvelopeSchema, uploadReference]),
      responses: {
        200: { description: 'Ingested', schema: dataOf(uploadedScanSchema) },
        202: { description: 'Accepted for ingest by the job', schema: dataOf(z.object({ id: z.string(), status: z.literal('INGESTING') })) },
      },
      refusals: { 409: 'The scan was cancelled or is COMPLETE with other results, or another envelope of it is being ingested' },
    },
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
    access: SCANNERS,
    doc: {
      summary: "An upload's ingest status",
      description: 'INGESTING while the job works on an accepted upload; then the scan as ingested, or FAILED with why.',
      tags,
      params: scanIdParams,
      responses: { 200: { description: 'The scan', schema: dataOf(ingestStatusSchema) } },
    },
    async handle(context) {
      const { scan, ingesting } = await ingestStatus(context.principal, scanIdParam(context), context.deps);
      return json(200, { data: { ...uploadView(scan), ...(ingesting ? { status: 'INGESTING' } : {}), ...(scan.failure ? { failure: scan.failure } : {}) } });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/upload-url',
    access: SCANNERS,
    doc: {
      summary: 'A pre-signed upload URL',
      description:
        "For an envelope beyond API Gateway's 10 MB (PUT it gzipped, then POST /api/scans/upload with its key), or with `scanner` for that scanner's raw output.",
      tags,
      body: uploadUrlRequest,
      responses: { 201: { description: 'Where to PUT the object', schema: dataOf(z.union([envelopeUploadSchema, rawOutputUploadSchema])) } },
      refusals: { 404: 'With `scanner`: no scan of that id', 409: 'The scan was cancelled' },
    },
    async handle({ event, principal, deps }) {
      const { scanId, scanner } = jsonBody(event, uploadUrlRequest, 4096);
      const upload = scanner ? await createRawOutputUpload(principal, scanId, scanner, deps) : await createEnvelopeUpload(principal, scanId, deps);
      return json(201, { data: upload });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/layer-cache',
    access: SCANNERS,
    doc: {
      summary: "URLs of the organisation's layer-cache entries",
      description: `For each key (a layer's cache key, 64 lowercase hex; at most ${MAX_LAYER_CACHE_KEYS_PER_REQUEST}), a pre-signed GET URL (403 or 404 when no entry is stored) and a pre-signed PUT URL (replaces the entry), valid ${LAYER_CACHE_URL_TTL_SECONDS / 60} minutes. Entries belong to the caller's organisation, never another's; a scanner task's key asks for its own scan only. Send the URLs no API credentials.`,
      tags,
      params: scanIdParams,
      body: layerCacheRequest,
      responses: { 200: { description: 'One GET and one PUT URL per distinct key, in the order asked', schema: dataOf(layerCacheUrlsAnswer) } },
      refusals: { 409: 'The scan was cancelled' },
    },
    async handle(context) {
      const scanId = scanIdParam(context);
      const { keys } = jsonBody(context.event, layerCacheRequest, 64 * 1024);
      return json(200, { data: await layerCacheUrls(context.principal, scanId, keys, context.deps) });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/progress',
    access: { credentials: ['task'] },
    doc: {
      summary: "Report a running scan's progress",
      tags,
      params: scanIdParams,
      body: progressReportSchema,
      responses: { 200: { description: 'Recorded', schema: acceptedSchema } },
    },
    async handle(context) {
      await reportProgress(context.principal, scanIdParam(context), jsonBody(context.event, progressReportSchema, 4096), context.deps);
      return json(200, { data: { accepted: true } });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/failure',
    access: { credentials: ['task'] },
    doc: {
      summary: 'Report that a scan failed',
      description: 'The scanner task says why, as a failure code and a reason; the scan becomes FAILED.',
      tags,
      params: scanIdParams,
      body: failureReportSchema,
      responses: { 200: { description: 'Recorded', schema: acceptedSchema } },
    },
    async handle(context) {
      await reportFailure(context.principal, scanIdParam(context), jsonBody(context.event, failureReportSchema, 8192), context.deps);
      return json(200, { data: { accepted: true } });
    },
  },
];

export const handler = httpHandler(routes);
