// Compliance score and grade from check results: passed ÷ applicable (non-advisory) × 100; any FATAL is an F.
import type { CheckResult } from './check.ts';

export type Grade = 'A' | 'B' | 'C' | 'D' | 'F';

export interface Compliance {
  score: number;
  grade: Grade;
}

export function compliance(results: readonly CheckResult[]): Compliance {
  const applicable = results.filter((r) => !r.advisory);
  const passed = applicable.filter((r) => r.level === 'PASS').length;
  const score = applicable.length === 0 ? 100 : Math.round((passed / applicable.length) * 1000) / 10;
  if (results.some((r) => r.level === 'FATAL')) return { score, grade: 'F' };
  const grade: Grade = score >= 90 ? 'A' : score >= 80 ? 'B' : score >= 70 ? 'C' : score >= 60 ? 'D' : 'F';
  return { score, grade };
}
