// Everything one scan produced, as the report writers (envelope, CycloneDX, SPDX, table) consume it.
import type { EnvelopeMatching, EnvelopePackage, EnvelopeScanner, EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import type { Compliance } from '#shared/compliance/compliance-grade.ts';
import type { CheckResult } from '../checks/check.ts';
import type { ImageScan } from '../engine/scan-image.ts';
import type { ImageBreakdown } from '../layers/layer-breakdown.ts';

export interface ScanReport {
  /** The <source> the user gave. */
  source: string;
  platform: string;
  startedAt: string;
  finishedAt: string;
  scan: ImageScan;
  breakdown: ImageBreakdown;
  checks: CheckResult[];
  compliance: Compliance;
  /** Findings from matching the packages against an advisory snapshot; absent when no database was used. */
  vulnerabilities?: EnvelopeVulnerability[];
  /** Whether the packages were matched, and against which snapshot (engine/add-findings.ts). */
  matching?: EnvelopeMatching;
  /** External scanners run beside the engine (scanners/add-scanner-results.ts): each one's record, and the packages only they found. */
  external?: { scanners: EnvelopeScanner[]; packages: EnvelopePackage[] };
}
