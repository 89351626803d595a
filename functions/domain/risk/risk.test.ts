import { describe, expect, it } from 'vitest';
import { complianceOf } from './compliance-grade.ts';
import { riskScore } from './risk-score.ts';

describe('riskScore', () => {
  it('applies the reference formula', () => {
    expect(riskScore([])).toBe(0);
    expect(riskScore([{ severity: 'LOW', cvss: 2 }])).toBe(11); // 1 + 5·2
    expect(riskScore([{ severity: 'HIGH', cvss: 7.5 }, { severity: 'MEDIUM', cvss: null }])).toBe(51); // 10 + 3 + 5·7.5 = 50.5
    expect(riskScore([{ severity: 'INFO', cvss: null }])).toBe(0);
  });
  it('caps at 100', () => {
    expect(riskScore(Array.from({ length: 5 }, () => ({ severity: 'CRITICAL' as const, cvss: 9.8 })))).toBe(100);
  });
});

describe('complianceOf', () => {
  const checks = (levels: Array<'FATAL' | 'WARN' | 'INFO' | 'PASS'>) => levels.map((level) => ({ level }));
  it('grades by the share of applicable checks passed', () => {
    expect(complianceOf(checks(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'WARN']))).toEqual({ score: 90, grade: 'A' });
    expect(complianceOf(checks(['PASS', 'PASS', 'PASS', 'PASS', 'WARN', 'INFO']))).toEqual({ score: 80, grade: 'B' });
    expect(complianceOf(checks(['PASS', 'PASS', 'WARN']))).toEqual({ score: 66.7, grade: 'D' });
    expect(complianceOf(checks(['PASS', 'WARN']))).toEqual({ score: 50, grade: 'F' });
  });
  it('gives F for any FATAL, and nothing when no check applies', () => {
    expect(complianceOf(checks(['PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'PASS', 'FATAL']))!.grade).toBe('F');
    expect(complianceOf(checks(['INFO']))).toBeNull();
  });
});
