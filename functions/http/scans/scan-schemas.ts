// The documented shapes of the Scans API: the request bodies the handler validates with, the
// query parameters, and the views scan-views.ts builds, field for field.
import * as z from '#shared/validation.ts';
import {
  COMPLIANCE_GRADES,
  envelopeCheckSchema,
  envelopeLayerSchema,
  envelopeMatchingSchema,
  envelopePackageSchema,
  envelopeScannerSchema,
  SEVERITIES,
} from '#shared/envelope/envelope-schema.ts';
import { FAILURE_CODES, SCAN_ID_PATTERN } from '#shared/scans/scan-contract.ts';
import { SCANNERS } from '#shared/scans/scanners.ts';
import { TRIAGE_STATUSES } from '#domain/findings/finding.ts';
import { SORT_FIELDS } from '#domain/scans/list-query.ts';
import { SCAN_STATUSES, TRIGGER_KINDS } from '#domain/scans/scan.ts';
import { idParam, isoTime, named, pageOf, pageQuery } from '../api-schemas.ts';

export const MAX_BATCH = 100;

export const scanRequest = z.strictObject({
  image: z.string().check(z.minLength(1), z.maxLength(512)),
  scanners: z._default(z.array(z.enum(SCANNERS)).check(z.minLength(1), z.maxLength(SCANNERS.length)), ['harborguard']),
});
export const batchRequest = z.strictObject({ scans: z.array(scanRequest).check(z.minLength(1), z.maxLength(MAX_BATCH)) });
/** For the document: the handler picks one of the two by `scans` (handler.ts: submitBody). */
export const submitBodySchema = z.union([scanRequest, batchRequest]);

export const scanIdParams = z.object({ scanId: idParam(SCAN_ID_PATTERN, 'The scan, e.g. scn-3kp9q1x7ab2c') });

export const scanListQuery = z.object({
  ...pageQuery(200, 50),
  sort: z.optional(
    z
      .string()
      .check(
        z.regex(new RegExp(`^(${SORT_FIELDS.join('|')})(:(asc|desc))?$`)),
        z.describe(`field[:asc|desc], field one of ${SORT_FIELDS.join(', ')} (default scannedAt:desc)`),
      ),
  ),
  status: z.optional(z.enum(SCAN_STATUSES)),
  search: z.optional(
    z.string().check(z.minLength(1), z.maxLength(256), z.describe('Matches the repository name or tag (case-insensitively), or a whole scan id')),
  ),
  trigger: z.optional(
    z
      .enum(TRIGGER_KINDS)
      .check(z.describe('Only scans started through the API, by a registry push, or by re-matching a scanned image against newer advisories')),
  ),
});

export const vulnerabilitiesQuery = z.object({ ...pageQuery(1000, 100), severity: z.optional(z.enum(SEVERITIES)) });
export const packagesQuery = z.object({ ...pageQuery(1000, 100), type: z.optional(z.string().check(z.describe('Package type, e.g. npm, deb'))) });

const scanStatus = z.enum(SCAN_STATUSES);
const grade = z.nullable(z.enum(COMPLIANCE_GRADES));
const failure = z.object({ code: z.enum(FAILURE_CODES), reason: z.string() });
const matching = named('Matching', envelopeMatchingSchema);

export const scanListItemSchema = named(
  'ScanListItem',
  z.object({
    id: z.string(),
    tagId: z.string(),
    image: z.object({ name: z.string(), tag: z.nullable(z.string()) }),
    status: scanStatus,
    compliance: grade,
    riskScore: z.nullable(z.number()),
    duration: z.nullable(z.number()),
    scannedAt: z.nullable(isoTime),
    matching: z.nullable(matching),
  }),
);

export const findingSchema = named(
  'Finding',
  z.object({
    id: z.string(),
    scanId: z.string(),
    cveId: z.string(),
    severity: z.enum(SEVERITIES),
    cvss: z.nullable(z.number()),
    package: z.string(),
    version: z.string(),
    fixedVersion: z.nullable(z.string()),
    scanner: z.string(),
    triage: z.object({
      status: z.enum(TRIAGE_STATUSES),
      assignee: z.nullable(z.string()),
      slaDeadline: z.nullable(isoTime),
      note: z.nullable(z.string()),
      updatedBy: z.nullable(z.string()),
      updatedAt: z.nullable(isoTime),
    }),
    timeline: z.object({ detectedAt: isoTime, firstSeenAt: isoTime, resolvedAt: z.nullable(isoTime) }),
    detectedBy: z.enum(['scan', 'rematch']),
    title: z.nullable(z.string()),
    aliases: z.array(z.string()),
    sources: z.array(z.string()),
    references: z.array(z.string()),
    cvssVector: z.nullable(z.string()),
    purl: z.nullable(z.string()),
    packageType: z.nullable(z.string()),
    layerDigest: z.nullable(z.string()),
    knownExploited: z.boolean(),
    epss: z.nullable(z.number()),
  }),
);

const packageSchema = named('Package', envelopePackageSchema);

export const scanSchema = named(
  'Scan',
  z.object({
    id: z.string(),
    image: z.object({ name: z.string(), tag: z.nullable(z.string()), digest: z.nullable(z.string()) }),
    status: scanStatus,
    compliance: grade,
    complianceScore: z.nullable(z.number()),
    riskScore: z.nullable(z.number()),
    matching: z.nullable(matching),
    scannedAt: z.nullable(isoTime),
    duration: z.nullable(z.number()),
    vulnerabilities: z.array(findingSchema),
    packages: z.array(packageSchema),
    layers: z.array(named('Layer', envelopeLayerSchema)),
    scanners: z.array(named('ScannerRun', envelopeScannerSchema)),
    warnings: z.array(z.string()),
    checks: z.array(named('Check', z.object({ ...envelopeCheckSchema.shape, advisory: z.boolean(), details: z.array(z.string()) }))),
    trigger: named(
      'ScanTrigger',
      z.union([
        z.object({ kind: z.literal('api') }),
        z.object({ kind: z.literal('registry-push'), integrationId: z.string(), provider: z.string(), eventId: z.string(), tags: z.array(z.string()) }),
        z.object({ kind: z.literal('rematch'), basedOn: z.string(), snapshot: z.object({ builtAt: isoTime, contentHash: z.string() }) }),
        z.object({ kind: z.literal('registry-check'), previousDigest: z.string(), digest: z.string() }),
      ]),
    ),
    failure: z.optional(failure),
  }),
);

export const scanStatusSchema = named(
  'ScanStatus',
  z.object({
    id: z.string(),
    status: scanStatus,
    progress: z.optional(z.object({ stage: z.string(), percent: z.number() })),
    failure: z.optional(failure),
    updatedAt: isoTime,
  }),
);

export const queuedSchema = named(
  'QueuedScan',
  z.object({ scanId: z.string(), status: z.literal('QUEUED'), message: z.string(), url: z.string().check(z.describe('The scan in the dashboard')) }),
);

export const queuedBatchSchema = z.object({ status: z.literal('QUEUED'), message: z.string(), scans: z.array(queuedSchema) });

export const scanListSchema = pageOf(scanListItemSchema);
export const findingPageSchema = pageOf(findingSchema);
export const packagePageSchema = pageOf(packageSchema);
