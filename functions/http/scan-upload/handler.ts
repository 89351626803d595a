// Route group: ingest of scan envelopes from scanner tasks and sensors.
import { scanEnvelopeSchema } from '#domain/envelope/envelope-schema.ts';
import { failureReportSchema, progressReportSchema, reportFailure, reportProgress } from '#domain/pipeline/task-reports.ts';
import { ingestEnvelope } from '#domain/scans/ingest-envelope.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
import { scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';

/** Decompressed envelope size accepted (a gzip body may be far smaller on the wire). */
const MAX_ENVELOPE_BYTES = 64 * 1024 * 1024;

export const routes: Route[] = [
  {
    method: 'POST',
    resource: '/api/scans/upload',
    access: { sensorKeys: 'only' },
    async handle({ event, principal, deps }) {
      const envelope = jsonBody(event, scanEnvelopeSchema, MAX_ENVELOPE_BYTES);
      const scan = await ingestEnvelope(principal, envelope, deps);
      const { id, status, riskScore, compliance, scannedAt, duration } = scan;
      return json(200, { data: { id, status, riskScore, compliance, scannedAt, duration } });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/progress',
    access: { sensorKeys: 'only' },
    async handle(context) {
      await reportProgress(context.principal, scanIdParam(context), jsonBody(context.event, progressReportSchema, 4096), context.deps);
      return json(200, { data: { accepted: true } });
    },
  },
  {
    method: 'POST',
    resource: '/api/scans/{scanId}/failure',
    access: { sensorKeys: 'only' },
    async handle(context) {
      await reportFailure(context.principal, scanIdParam(context), jsonBody(context.event, failureReportSchema, 8192), context.deps);
      return json(200, { data: { accepted: true } });
    },
  },
];

export const handler = httpHandler(routes);
