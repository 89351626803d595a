import { describe, expect, it } from 'vitest';
import type { CheckResult } from './check.ts';
import { compliance } from './compliance.ts';

const result = (level: CheckResult['level'], advisory = false): CheckResult => ({ id: 'X', title: 'x', level, details: [], advisory });

describe('compliance', () => {
  it('grades by the share of passed, non-advisory checks', () => {
    expect(compliance([...Array(9).fill(result('PASS')), result('WARN')])).toEqual({ score: 90, grade: 'A' });
    expect(compliance([...Array(4).fill(result('PASS')), result('WARN')])).toEqual({ score: 80, grade: 'B' });
    expect(compliance([...Array(7).fill(result('PASS')), ...Array(3).fill(result('WARN'))])).toEqual({ score: 70, grade: 'C' });
    expect(compliance([...Array(3).fill(result('PASS')), ...Array(2).fill(result('WARN'))])).toEqual({ score: 60, grade: 'D' });
    expect(compliance([result('PASS'), result('WARN')])).toEqual({ score: 50, grade: 'F' });
    expect(compliance([result('PASS'), result('INFO', true)])).toEqual({ score: 100, grade: 'A' });
  });
  it('fails any image with a FATAL finding, whatever the score', () => {
    expect(compliance([...Array(20).fill(result('PASS')), result('FATAL')])).toMatchObject({ grade: 'F' });
  });
});
