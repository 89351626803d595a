// Route group: a scan's raw scanner outputs, handed out as short-lived pre-signed S3 GET URLs
// (an output may be tens of MB, far beyond Lambda's 6 MB response). A group of its own, not
// part of `scans`: this function may read raw outputs and nothing else of the bucket.
import { rawOutputDownload } from '#domain/scans/raw-outputs.ts';
import { json } from '../http-response.ts';
import { pathParameter, scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/raw/{scanner}',
    access: { minRole: 'developer', credentials: ['session', 'pat', 'api_key'] },
    async handle(context) {
      const scanId = scanIdParam(context);
      const scanner = pathParameter(context, 'scanner', /^[a-z][a-z0-9-]{0,31}$/, 'Raw output');
      return json(200, { data: await rawOutputDownload(context.principal, scanId, scanner, context.deps) });
    },
  },
];

export const handler = httpHandler(routes);
