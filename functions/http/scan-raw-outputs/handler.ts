// Route group: a scan's raw scanner outputs, handed out as short-lived pre-signed S3 GET URLs
// (an output may be tens of MB, far beyond Lambda's 6 MB response). A group of its own, not
// part of `scans`: this function may read raw outputs and nothing else of the bucket.
import { rawOutputDownload } from '#domain/scans/raw-outputs.ts';
import { json } from '../http-response.ts';
import { pathParameter, scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import * as z from '#shared/validation.ts';
import { RAW_OUTPUT_SCANNERS } from '#shared/scans/scanners.ts';
import { dataOf, idParam, isoTime } from '../api-schemas.ts';
import { scanIdParams } from '../scans/scan-schemas.ts';

const SCANNER_NAME = /^[a-z][a-z0-9-]{0,31}$/;

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/raw/{scanner}',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    doc: {
      summary: "Download a scanner's raw output",
      description: 'A short-lived pre-signed URL of the gzipped output the scanner tool wrote for this scan.',
      tags: ['Scans'],
      params: z.object({ ...scanIdParams.shape, scanner: idParam(SCANNER_NAME, `One of ${RAW_OUTPUT_SCANNERS.join(', ')}`) }),
      responses: {
        200: {
          description: 'Where to download it',
          schema: dataOf(z.object({ scanner: z.string(), url: z.url(), method: z.literal('GET'), contentEncoding: z.literal('gzip'), expiresAt: isoTime })),
        },
      },
    },
    async handle(context) {
      const scanId = scanIdParam(context);
      const scanner = pathParameter(context, 'scanner', SCANNER_NAME, 'Raw output');
      return json(200, { data: await rawOutputDownload(context.principal, scanId, scanner, context.deps) });
    },
  },
];

export const handler = httpHandler(routes);
