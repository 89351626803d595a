// Route group: ingest of scan envelopes from scanner tasks and sensors.
import { scanEnvelopeSchema } from '#domain/envelope/envelope-schema.ts';
import { ingestEnvelope } from '#domain/scans/ingest-envelope.ts';
import { jsonBody } from '../http-request.ts';
import { json } from '../http-response.ts';
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
];

export const handler = httpHandler(routes);
