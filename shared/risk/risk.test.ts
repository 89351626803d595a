import { describe, expect, it } from 'vitest';
import { riskScore } from './risk-score.ts';

describe('riskScore', () => {
  it('applies the reference formula', () => {
    expect(riskScore([])).toBe(0);
    expect(riskScore([{ severity: 'LOW', cvss: 2 }])).toBe(11); // 1 + 5·2
    expect(
      riskScore([
        { severity: 'HIGH', cvss: 7.5 },
        { severity: 'MEDIUM', cvss: null },
      ]),
    ).toBe(51); // 10 + 3 + 5·7.5 = 50.5
    expect(riskScore([{ severity: 'INFO', cvss: null }])).toBe(0);
  });
  it('caps at 100', () => {
    expect(riskScore(Array.from({ length: 5 }, () => ({ severity: 'CRITICAL' as const, cvss: 9.8 })))).toBe(100);
  });
});
