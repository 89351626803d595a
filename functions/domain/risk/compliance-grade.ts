// Compliance from configuration checks: score = passed ÷ applicable × 100 (INFO checks are
// informational, not applicable); any FATAL → F, else A ≥ 90, B ≥ 80, C ≥ 70, D ≥ 60, else F.
import type { ComplianceGrade } from '../envelope/envelope-schema.ts';

export interface CheckOutcome {
  level: 'FATAL' | 'WARN' | 'INFO' | 'PASS';
}

export function complianceOf(checks: readonly CheckOutcome[]): { score: number; grade: ComplianceGrade } | null {
  const applicable = checks.filter((c) => c.level !== 'INFO');
  if (applicable.length === 0) return null;
  const passed = applicable.filter((c) => c.level === 'PASS').length;
  const score = Math.round((passed / applicable.length) * 1000) / 10;
  if (applicable.some((c) => c.level === 'FATAL')) return { score, grade: 'F' };
  const grade: ComplianceGrade = score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
  return { score, grade };
}
