// Configuration checks (dockle / CIS Docker Benchmark style) and how they add up to a grade.
import type { CheckLevel } from '#shared/envelope/envelope-schema.ts';
import type { ImageScan } from '../engine/scan-image.ts';

export type { CheckLevel };

export interface CheckResult {
  id: string;
  title: string;
  level: CheckLevel;
  details: string[];
  /** INFO-level checks are advice: reported, but not part of the score (shared/compliance/compliance-grade.ts). */
  advisory: boolean;
}

export interface CheckDefinition {
  id: string;
  title: string;
  /** The level reported when the check finds something. */
  level: Exclude<CheckLevel, 'PASS'>;
  /** Findings (empty = pass), or undefined when the check does not apply to this image. */
  run(scan: ImageScan): string[] | undefined;
}
