// The compliance score and grade, the one rule for the CLI, the scanner task and ingest
// (docs/COMPLIANCE-CHECKS.md): score = passed ÷ applicable × 100, where applicable means reported
// and not advisory; any FATAL → F, else A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F.
import type { CheckLevel, ComplianceGrade } from '../envelope/envelope-schema.ts';

export interface GradedCheck {
  level: CheckLevel;
  /** Advice, reported but not scored. Absent in envelopes written before the flag existed. */
  advisory?: boolean;
}

/** Nothing scored means no grade: an image nobody checked is not an A. */
export type Compliance = { score: number; grade: ComplianceGrade } | { score: null; grade: null };

/**
 * Whether a check is advice. An unflagged check is advice when it reports INFO, since only
 * INFO-level checks are advisory; an unflagged PASS cannot tell, so it counts as scored.
 */
export const isAdvisory = (check: GradedCheck): boolean => check.advisory ?? check.level === 'INFO';

export function complianceOf(checks: readonly GradedCheck[]): Compliance {
  const applicable = checks.filter((c) => !isAdvisory(c));
  if (applicable.length === 0) return { score: null, grade: null };
  const passed = applicable.filter((c) => c.level === 'PASS').length;
  const score = Math.round((passed / applicable.length) * 1000) / 10;
  if (checks.some((c) => c.level === 'FATAL')) return { score, grade: 'F' };
  const grade: ComplianceGrade = score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
  return { score, grade };
}
