// The one grade, pinned to docs/COMPLIANCE-CHECKS.md: the CLI, the scanner task and ingest all call complianceOf.
import { describe, expect, it } from 'vitest';
import type { CheckLevel } from '../envelope/envelope-schema.ts';
import { complianceOf, type GradedCheck } from './compliance-grade.ts';

/** The documented example: runs as root, no HEALTHCHECK, the other six scored checks pass; the two advisory ones pass too. */
const documentedExample = (secretInEnv: boolean): Array<GradedCheck & { id: string }> => [
  { id: 'CIS-DI-0001', level: 'WARN', advisory: false },
  { id: 'CIS-DI-0006', level: 'WARN', advisory: false },
  { id: 'CIS-DI-0008', level: 'PASS', advisory: true },
  { id: 'CIS-DI-0009', level: 'PASS', advisory: false },
  { id: 'CIS-DI-0010', level: secretInEnv ? 'FATAL' : 'PASS', advisory: false },
  { id: 'HG-SECRET-FILES', level: 'PASS', advisory: false },
  { id: 'DKL-DI-0001', level: 'PASS', advisory: false },
  { id: 'DKL-DI-0003', level: 'PASS', advisory: false },
  { id: 'DKL-DI-0005', level: 'PASS', advisory: true },
  { id: 'DKL-DI-0006', level: 'PASS', advisory: false },
];

const scored = (...levels: CheckLevel[]): GradedCheck[] => levels.map((level) => ({ level, advisory: false }));
const times = (n: number, level: CheckLevel): CheckLevel[] => Array<CheckLevel>(n).fill(level);

describe('complianceOf', () => {
  it('grades the documented example C (6 ÷ 8 = 75), not B: passing advisory checks are not scored', () => {
    expect(complianceOf(documentedExample(false))).toEqual({ score: 75, grade: 'C' });
  });

  it('fails the documented example with a credential in its ENV, whatever the score', () => {
    expect(complianceOf(documentedExample(true))).toEqual({ score: 62.5, grade: 'F' });
    expect(complianceOf([...scored(...times(20, 'PASS')), ...scored('FATAL')]).grade).toBe('F');
  });

  it('draws the grade boundaries at 90, 80, 70 and 60, scores to one decimal', () => {
    expect(complianceOf(scored(...times(9, 'PASS'), 'WARN'))).toEqual({ score: 90, grade: 'A' });
    expect(complianceOf(scored(...times(4, 'PASS'), 'WARN'))).toEqual({ score: 80, grade: 'B' });
    expect(complianceOf(scored(...times(7, 'PASS'), ...times(3, 'WARN')))).toEqual({ score: 70, grade: 'C' });
    expect(complianceOf(scored(...times(3, 'PASS'), ...times(2, 'WARN')))).toEqual({ score: 60, grade: 'D' });
    expect(complianceOf(scored('PASS', 'PASS', 'WARN'))).toEqual({ score: 66.7, grade: 'D' });
    expect(complianceOf(scored('PASS', 'WARN'))).toEqual({ score: 50, grade: 'F' });
  });

  it('gives no grade when nothing is scored: no checks, or advice only', () => {
    expect(complianceOf([])).toEqual({ score: null, grade: null });
    expect(
      complianceOf([
        { level: 'INFO', advisory: true },
        { level: 'PASS', advisory: true },
      ]),
    ).toEqual({ score: null, grade: null });
  });

  it('reads envelopes without the flag: an INFO check is advice, a PASS is scored', () => {
    expect(complianceOf([{ level: 'PASS' }, { level: 'WARN' }, { level: 'INFO' }])).toEqual({ score: 50, grade: 'F' });
  });
});
