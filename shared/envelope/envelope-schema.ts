// The scan envelope: the one contract between whoever scans an image (the Fargate scanner task,
// a sensor in a customer network, the CLI) and the control plane's ingest endpoint.
// Both sides import this schema, so producer and consumer can never disagree.
import * as z from '../validation.ts';
import { SCAN_ID_PATTERN } from '../scans/scan-contract.ts';
import { boundedList as list } from './bounded-list.ts';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export const CHECK_LEVELS = ['FATAL', 'WARN', 'INFO', 'PASS'] as const;
export const COMPLIANCE_GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

const text = z.string().check(z.minLength(1), z.maxLength(2048));
const isoTime = z.iso.datetime({ offset: true });
/** sha512 in hex is 135 characters; a digest is also part of a tag's key (below). */
const digest = z.string().check(z.maxLength(256), z.regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, 'expected <algorithm>:<hex>'));
const maxString = (max: number) => z.string().check(z.maxLength(max));
const count = z.int().check(z.nonnegative());

/**
 * Strings that storage uses as or in a DynamoDB key, bounded here once, in UTF-8 bytes (the
 * unit of DynamoDB's limits: sort keys ≤ 1,024 bytes, partition keys ≤ 2,048), with room for the
 * keys' prefixes:
 * - `<advisory>#<package>` is the sort key of first sightings and of carried triage: ≤ 256 + 1 + 512;
 * - `TAGREF#<image name>:<tag or digest>` is a tag's sort key: ≤ 7 + 512 + 1 + 256 (tag ≤ 128);
 * - `TRIAGE#<org>#<image name>` is a partition key: ≤ 7 + 64 + 1 + 512.
 */
export const KEY_PART_BYTES = { advisoryId: 256, packageName: 512, imageName: 512 } as const;
/** At most `maxBytes` of UTF-8: DynamoDB counts a key's bytes, and a character may take up to 4. */
const utf8 = (maxBytes: number, minLength = 0) =>
  z.string().check(
    z.minLength(minLength),
    z.maxLength(maxBytes),
    z.refine((value: string) => Buffer.byteLength(value, 'utf8') <= maxBytes, `Too big: expected string to have <=${maxBytes} UTF-8 bytes`),
  );

export const envelopePackageSchema = z.strictObject({
  name: text,
  version: maxString(512),
  type: z.string().check(z.minLength(1), z.maxLength(64)),
  purl: z.optional(maxString(4096)),
  licenses: z.optional(list(maxString(512), 64)),
  location: z.optional(maxString(4096)),
  layerDigest: z.optional(digest),
  sourceName: z.optional(maxString(512)),
  sourceVersion: z.optional(maxString(512)),
  /** Another package in this envelope (by purl) that owns this one, e.g. a dpkg package owning Python metadata. */
  ownedBy: z.optional(maxString(4096)),
  /**
   * A language package whose files an OS package owns: matched through that package's advisories,
   * not its own ecosystem's; `reason` is the sentence a person reads.
   */
  matchedVia: z.optional(z.strictObject({ type: z.string().check(z.minLength(1), z.maxLength(64)), name: text, reason: text })),
});

export const envelopeLayerSchema = z.strictObject({
  digest: z.optional(digest),
  diffId: z.optional(digest),
  size: z.optional(count),
  uncompressedSize: z.optional(count),
  createdBy: z.optional(maxString(65536)),
  created: z.optional(isoTime),
  empty: z.optional(z.boolean()),
  filesAdded: z.optional(count),
  filesModified: z.optional(count),
  filesRemoved: z.optional(count),
  packagesAdded: z.optional(count),
});

export const envelopeVulnerabilitySchema = z.strictObject({
  /** The advisory id as the source spells it (CVE-…, GHSA-…, DSA-…). */
  id: utf8(KEY_PART_BYTES.advisoryId, 1),
  /** The CVE this advisory is (or one of its aliases): the finding's key when present. */
  cveId: z.optional(utf8(128)),
  aliases: z.optional(list(utf8(128), 256)),
  severity: z.enum(SEVERITIES),
  cvss: z.optional(z.nullable(z.number().check(z.gte(0), z.lte(10)))),
  cvssVector: z.optional(maxString(512)),
  package: utf8(KEY_PART_BYTES.packageName, 1),
  version: maxString(512),
  packageType: z.optional(maxString(64)),
  purl: z.optional(maxString(4096)),
  fixedVersion: z.optional(z.nullable(maxString(512))),
  layerDigest: z.optional(digest),
  scanner: z.optional(maxString(64)),
  sources: z.optional(list(maxString(128), 64)),
  references: z.optional(list(maxString(2048), 256)),
  title: z.optional(maxString(4096)),
  /** Listed in CISA's Known Exploited Vulnerabilities catalog. */
  knownExploited: z.optional(z.boolean()),
  /** FIRST EPSS probability of exploitation in the next 30 days, 0–1. */
  epss: z.optional(z.number().check(z.gte(0), z.lte(1))),
});

/**
 * How a requested scanner fared: it ran; it ran and failed (crash, unreadable image, bad output);
 * or it could not run in that runtime at all (not installed, unknown). `error` says why.
 */
export const SCANNER_STATUSES = ['COMPLETED', 'FAILED', 'UNAVAILABLE'] as const;

export const envelopeScannerSchema = z.strictObject({
  name: z.string().check(z.minLength(1), z.maxLength(64)),
  version: z.optional(maxString(128)),
  status: z.optional(z.enum(SCANNER_STATUSES)),
  durationMs: z.optional(count),
  error: z.optional(maxString(4096)),
});

export const envelopeCheckSchema = z.strictObject({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  title: maxString(1024),
  level: z.enum(CHECK_LEVELS),
  details: z.optional(list(maxString(4096), 1000)),
  /** Advice, not scored (shared/compliance/compliance-grade.ts): a passing check's level cannot say so. */
  advisory: z.optional(z.boolean()),
});

/**
 * Whether the packages were matched against an advisory snapshot. NOT_MATCHED means the scan's
 * findings cannot be read as "clean" (its risk score is null); `reason` is the code a client
 * tests, `detail` the sentence a person reads. `snapshot` names the data a MATCHED scan used, so a
 * later snapshot can be told apart (re-matching stored inventories, issue #14).
 * An envelope without `matching` (written before it existed) counts as MATCHED.
 */
export const MATCHING_STATUSES = ['MATCHED', 'NOT_MATCHED'] as const;
/** NO_SNAPSHOT: no advisory snapshot was available to the scanner (none published, none at the default path). */
export const NOT_MATCHED_REASONS = ['NO_SNAPSHOT'] as const;

export const envelopeMatchingSchema = z.strictObject({
  status: z.enum(MATCHING_STATUSES),
  reason: z.optional(z.enum(NOT_MATCHED_REASONS)),
  detail: z.optional(maxString(2048)),
  snapshot: z.optional(z.strictObject({ builtAt: isoTime, contentHash: maxString(256), advisories: z.optional(count) })),
});

/** How many of each an envelope holds; the scanner refuses a larger image before it uploads. */
export const ENVELOPE_MAXIMA = { vulnerabilities: 100_000, packages: 200_000, layers: 1_000 } as const;

export const scanEnvelopeSchema = z.strictObject({
  scan: z.strictObject({
    id: z.string().check(z.regex(SCAN_ID_PATTERN, 'expected a scan id such as scn-3kp9q1')),
    startedAt: z.optional(isoTime),
    finishedAt: z.optional(isoTime),
  }),
  image: z.strictObject({
    name: z.optional(utf8(KEY_PART_BYTES.imageName, 1)),
    tag: z.optional(maxString(128)),
    digest: z.optional(digest),
    platform: z.optional(maxString(64)),
    os: z.optional(z.strictObject({ id: maxString(64), version: z.optional(maxString(64)) })),
    size: z.optional(count),
    /** Bytes of files that later layers overwrote or deleted: shipped, never visible. */
    wastedBytes: z.optional(count),
    /** Share of the layers' file bytes the final filesystem shows, 0–100. */
    efficiency: z.optional(z.number().check(z.gte(0), z.lte(100))),
  }),
  scanners: list(envelopeScannerSchema, 32),
  vulnerabilities: list(envelopeVulnerabilitySchema, ENVELOPE_MAXIMA.vulnerabilities),
  packages: list(envelopePackageSchema, ENVELOPE_MAXIMA.packages),
  layers: list(envelopeLayerSchema, ENVELOPE_MAXIMA.layers),
  checks: z.optional(list(envelopeCheckSchema, 1_000)),
  compliance: z.optional(z.strictObject({ score: z.number().check(z.gte(0), z.lte(100)), grade: z.enum(COMPLIANCE_GRADES) })),
  matching: z.optional(envelopeMatchingSchema),
  /** What the scan could not do or read (a file over a size limit, no advisory database, …): complete, but not everything. */
  warnings: z.optional(list(maxString(2048), 1000)),
});

export type ScanEnvelope = z.infer<typeof scanEnvelopeSchema>;
export type EnvelopePackage = z.infer<typeof envelopePackageSchema>;
export type EnvelopeLayer = z.infer<typeof envelopeLayerSchema>;
export type EnvelopeVulnerability = z.infer<typeof envelopeVulnerabilitySchema>;
export type EnvelopeScanner = z.infer<typeof envelopeScannerSchema>;
export type EnvelopeCheck = z.infer<typeof envelopeCheckSchema>;
export type EnvelopeMatching = z.infer<typeof envelopeMatchingSchema>;
export type CheckLevel = (typeof CHECK_LEVELS)[number];
export type Severity = (typeof SEVERITIES)[number];
export type ComplianceGrade = (typeof COMPLIANCE_GRADES)[number];
