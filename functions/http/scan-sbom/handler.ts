// Route group: a scan's SBOM download (CycloneDX 1.6 or SPDX 2.3 JSON). A group of its own, not
// part of `scans`: the SBOM writers and the CycloneDX library are ~120 KB of bundle (199 KB here
// against 79 KB for scans), which every scans cold start would otherwise load, and this function
// needs only to read the scan and its artifacts (no delete, queue or ECS rights).
import { ValidationError } from '#shared/errors.ts';
import { toCycloneDx } from '#shared/sbom/cyclonedx.ts';
import { SBOM_FORMATS, SBOM_MEDIA_TYPES, type SbomFormat } from '#shared/sbom/sbom-source.ts';
import { toSpdx } from '#shared/sbom/spdx.ts';
import { scanSbomSource } from '#domain/scans/scan-sbom.ts';
import { queryParameters } from '../http-request.ts';
import { scanIdParam } from '../path-parameters.ts';
import { httpHandler, type Route } from '../route.ts';
import * as z from '#shared/validation.ts';
import { scanIdParams } from '../scans/scan-schemas.ts';

const WRITERS: Record<SbomFormat, typeof toSpdx> = { cyclonedx: toCycloneDx, spdx: toSpdx };
const FILE_SUFFIX: Record<SbomFormat, string> = { cyclonedx: 'cdx.json', spdx: 'spdx.json' };

function sbomFormat(raw: Record<string, string | undefined>): SbomFormat {
  const unknown = Object.keys(raw).filter((name) => name !== 'format');
  if (unknown.length > 0)
    throw new ValidationError(
      `Invalid query parameter: ${unknown.join(', ')}`,
      unknown.map((path) => ({ path, message: 'unknown query parameter' })),
    );
  const format = raw.format ?? 'cyclonedx';
  if (!(SBOM_FORMATS as readonly string[]).includes(format)) {
    throw new ValidationError('Invalid query parameter: format', [{ path: 'format', message: `must be one of ${SBOM_FORMATS.join(', ')}` }]);
  }
  return format as SbomFormat;
}

export const routes: Route[] = [
  {
    method: 'GET',
    resource: '/api/scans/{scanId}/sbom',
    access: { minRole: 'viewer', credentials: ['session', 'pat', 'api_key'] },
    doc: {
      summary: "Download a scan's SBOM",
      large: true,
      description: 'CycloneDX 1.6 JSON (default) or SPDX 2.3 JSON, as an attachment; for a COMPLETE scan.',
      tags: ['Scans'],
      params: scanIdParams,
      query: z.object({ format: z.optional(z.enum(SBOM_FORMATS)) }),
      responses: {
        200: {
          description: 'The SBOM document',
          // A document of its own standard, described by the standard's schema rather than here.
          schema: z.looseObject({}).check(z.describe('A CycloneDX 1.6 or SPDX 2.3 JSON document')),
          contentType: SBOM_FORMATS.map((format) => SBOM_MEDIA_TYPES[format]),
        },
      },
      refusals: { 409: 'The scan is not COMPLETE' },
    },
    async handle(context) {
      const format = sbomFormat(queryParameters(context.event));
      const scanId = scanIdParam(context);
      const source = await scanSbomSource(context.principal, scanId, context.deps);
      return {
        statusCode: 200,
        headers: {
          'Content-Type': SBOM_MEDIA_TYPES[format],
          'Content-Disposition': `attachment; filename="${scanId}.${FILE_SUFFIX[format]}"`,
          'Cache-Control': 'no-store',
        },
        // Compact: a 20,000-package SBOM must stay inside Lambda's 6 MB response (gzip helps further).
        body: WRITERS[format](source, { indent: 0 }),
      };
    },
  },
];

export const handler = httpHandler(routes);
