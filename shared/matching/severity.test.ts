// CVSS scoring through ae-cvss-calculator for every version, and the fallbacks.
import { describe, expect, it } from 'vitest';
import { cvssBaseScore, scoreRecord, severityFromScore } from './severity.ts';

describe('severity', () => {
  it.each([
    ['AV:N/AC:L/Au:N/C:P/I:P/A:P', 7.5],
    ['AV:N/AC:M/Au:N/C:N/I:P/A:N', 4.3],
    ['CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:N/A:H', 5.5],
    ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N', 9.3],
    ['CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N', 6.8],
  ])('%s → %d', (vector, score) => {
    expect(cvssBaseScore(vector)).toBe(score);
  });

  it('rejects what is not a vector', () => {
    for (const v of ['', 'medium', 'CVSS:3.1/AV:N', 'CVSS:9.9/AV:N/AC:L', 'AV:N/AC:L']) expect(cvssBaseScore(v)).toBeUndefined();
  });

  it('maps scores to the documented bands', () => {
    expect([9, 8.9, 7, 6.9, 4, 3.9, 0.1, 0].map(severityFromScore)).toEqual(['CRITICAL', 'HIGH', 'HIGH', 'MEDIUM', 'MEDIUM', 'LOW', 'LOW', 'INFO']);
  });

  it('prefers the highest CVSS, then ecosystem ratings, then INFO', () => {
    const base = { id: 'X-1', modified: '2024-01-01T00:00:00Z' };
    expect(
      scoreRecord({
        ...base,
        severity: [
          { type: 'CVSS_V2', score: 'AV:N/AC:L/Au:N/C:P/I:P/A:P' },
          { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' },
        ],
      }),
    ).toEqual({
      severity: 'CRITICAL',
      cvss: 9.8,
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
    expect(scoreRecord({ ...base, database_specific: { severity: 'MODERATE' } })).toEqual({ severity: 'MEDIUM' });
    expect(scoreRecord({ ...base, severity: [{ type: 'Ubuntu', score: 'high' }] })).toEqual({ severity: 'HIGH' });
    expect(scoreRecord({ ...base, affected: [{ package: { ecosystem: 'Debian:12', name: 'x' }, ecosystem_specific: { urgency: 'unimportant' } }] })).toEqual({
      severity: 'INFO',
    });
    expect(scoreRecord({ ...base, affected: [{ package: { ecosystem: 'Red Hat', name: 'x' }, ecosystem_specific: { severity: 'Important' } }] })).toEqual({
      severity: 'HIGH',
    });
    // No vector and no rating word: INFO for want of anything better, marked so an alias may rate it.
    expect(scoreRecord(base)).toEqual({ severity: 'INFO', unrated: true });
  });
});
