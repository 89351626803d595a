// The scan envelope: the one contract between whoever scans an image (the Fargate scanner task,
// a sensor in a customer network, the CLI) and the control plane's ingest endpoint.
// Both sides import this schema, so producer and consumer can never disagree.
import { z } from 'zod';
import { SCAN_ID_PATTERN } from '../scans/scan.ts';

export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const;
export const CHECK_LEVELS = ['FATAL', 'WARN', 'INFO', 'PASS'] as const;
export const COMPLIANCE_GRADES = ['A', 'B', 'C', 'D', 'F'] as const;

const text = z.string().min(1).max(2048);
const isoTime = z.iso.datetime({ offset: true });
const digest = z.string().regex(/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/, 'expected <algorithm>:<hex>');

export const envelopePackageSchema = z.strictObject({
  name: text,
  version: z.string().max(512),
  type: z.string().min(1).max(64),
  purl: z.string().max(4096).optional(),
  licenses: z.array(z.string().max(512)).max(64).optional(),
  location: z.string().max(4096).optional(),
  layerDigest: digest.optional(),
  sourceName: z.string().max(512).optional(),
  sourceVersion: z.string().max(512).optional(),
  /** Another package in this envelope (by purl) that owns this one, e.g. a dpkg package owning Python metadata. */
  ownedBy: z.string().max(4096).optional(),
});

export const envelopeLayerSchema = z.strictObject({
  digest: digest.optional(),
  diffId: digest.optional(),
  size: z.number().int().nonnegative().optional(),
  uncompressedSize: z.number().int().nonnegative().optional(),
  createdBy: z.string().max(65536).optional(),
  created: isoTime.optional(),
  empty: z.boolean().optional(),
  filesAdded: z.number().int().nonnegative().optional(),
  filesModified: z.number().int().nonnegative().optional(),
  filesRemoved: z.number().int().nonnegative().optional(),
  packagesAdded: z.number().int().nonnegative().optional(),
});

export const envelopeVulnerabilitySchema = z.strictObject({
  /** The advisory id as the source spells it (CVE-…, GHSA-…, DSA-…). */
  id: text,
  cveId: z.string().max(128).optional(),
  aliases: z.array(z.string().max(128)).max(256).optional(),
  severity: z.enum(SEVERITIES),
  cvss: z.number().min(0).max(10).nullable().optional(),
  cvssVector: z.string().max(512).optional(),
  package: text,
  version: z.string().max(512),
  packageType: z.string().max(64).optional(),
  purl: z.string().max(4096).optional(),
  fixedVersion: z.string().max(512).nullable().optional(),
  layerDigest: digest.optional(),
  scanner: z.string().max(64).optional(),
  sources: z.array(z.string().max(128)).max(64).optional(),
  references: z.array(z.string().max(2048)).max(256).optional(),
  title: z.string().max(4096).optional(),
  /** Listed in CISA's Known Exploited Vulnerabilities catalog. */
  knownExploited: z.boolean().optional(),
  /** FIRST EPSS probability of exploitation in the next 30 days, 0–1. */
  epss: z.number().min(0).max(1).optional(),
});

export const envelopeScannerSchema = z.strictObject({
  name: z.string().min(1).max(64),
  version: z.string().max(128).optional(),
  durationMs: z.number().int().nonnegative().optional(),
  error: z.string().max(4096).optional(),
});

export const envelopeCheckSchema = z.strictObject({
  id: z.string().min(1).max(64),
  title: z.string().max(1024),
  level: z.enum(CHECK_LEVELS),
  details: z.array(z.string().max(4096)).max(1000).optional(),
});

export const scanEnvelopeSchema = z.strictObject({
  scan: z.strictObject({
    id: z.string().regex(SCAN_ID_PATTERN, 'expected a scan id such as scn-3kp9q1'),
    startedAt: isoTime.optional(),
    finishedAt: isoTime.optional(),
  }),
  image: z.strictObject({
    name: text.optional(),
    tag: z.string().max(128).optional(),
    digest: digest.optional(),
    platform: z.string().max(64).optional(),
    os: z.strictObject({ id: z.string().max(64), version: z.string().max(64).optional() }).optional(),
    size: z.number().int().nonnegative().optional(),
    /** Bytes of files that later layers overwrote or deleted: shipped, never visible. */
    wastedBytes: z.number().int().nonnegative().optional(),
    /** Share of the layers' file bytes the final filesystem shows, 0–100. */
    efficiency: z.number().min(0).max(100).optional(),
  }),
  scanners: z.array(envelopeScannerSchema).max(32),
  vulnerabilities: z.array(envelopeVulnerabilitySchema).max(100_000),
  packages: z.array(envelopePackageSchema).max(200_000),
  layers: z.array(envelopeLayerSchema).max(1_000),
  checks: z.array(envelopeCheckSchema).max(1_000).optional(),
  compliance: z.strictObject({ score: z.number().min(0).max(100), grade: z.enum(COMPLIANCE_GRADES) }).optional(),
});

export type ScanEnvelope = z.infer<typeof scanEnvelopeSchema>;
export type EnvelopePackage = z.infer<typeof envelopePackageSchema>;
export type EnvelopeLayer = z.infer<typeof envelopeLayerSchema>;
export type EnvelopeVulnerability = z.infer<typeof envelopeVulnerabilitySchema>;
export type Severity = (typeof SEVERITIES)[number];
export type ComplianceGrade = (typeof COMPLIANCE_GRADES)[number];
