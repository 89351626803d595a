import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compare, tokenize } from './apk.ts';
import { InvalidVersionError } from './invalid-version-error.ts';
import { apkVersion, arbitrary } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

// apk-tools' own vectors. No apk binary exists on Debian, so these are the oracle.
const lines = readFileSync(new URL('./testdata/apk-version.data', import.meta.url), 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter((line) => line !== '');
const comparisons = lines.map((line) => line.split(/\s+/)).filter((parts) => parts.length === 3 && ['<', '=', '>'].includes(parts[1] ?? ''));
const validity = lines.filter((line) => !line.includes(' '));
const isValid = (v: string): boolean => {
  try {
    tokenize(v);
    return true;
  } catch (error) {
    if (error instanceof InvalidVersionError) return false;
    throw error;
  }
};
const EXPECTED = { '<': -1, '=': 0, '>': 1 } as const;

describe('apk versions', () => {
  it('reads the apk-tools vectors', () => {
    expect(comparisons.length).toBeGreaterThan(700);
    expect(validity.length).toBeGreaterThan(30);
  });

  it('agrees with every apk-tools comparison vector between valid versions', () => {
    const wrong = comparisons
      .filter(([a, , b]) => isValid(a ?? '') && isValid(b ?? ''))
      .filter(([a, op, b]) => compare(a ?? '', b ?? '') !== EXPECTED[op as keyof typeof EXPECTED] || compare(b ?? '', a ?? '') !== 0 - EXPECTED[op as keyof typeof EXPECTED] + 0);
    expect(wrong).toEqual([]);
  });

  // apk orders these by their valid prefix; they fail `apk version -c`, so we refuse them.
  it('refuses the vectors apk-tools marks as invalid', () => {
    const invalid = comparisons.flatMap(([a, , b]) => [a ?? '', b ?? '']).filter((v) => !isValid(v));
    expect(invalid.sort()).toEqual(['1.0bc', '23_foo']);
  });

  it.each(validity)('validity row %j', (row) => {
    const version = row.startsWith('!') ? row.slice(1) : row;
    expect(isValid(version)).toBe(!row.startsWith('!'));
  });

  it.each([
    ['1.0', '1.0_alpha', 1], // apk-tools 2 got this one backwards; 3 fixed it
    ['1.0_alpha', '1.0_beta', -1],
    ['1.0_rc1', '1.0', -1],
    ['1.0', '1.0_p1', -1],
    ['1.0_git20240101', '1.0_p1', -1],
    ['1.0a', '1.0', 1],
    ['1.0a', '1.0_p1', 1],
    ['1.0-r0', '1.0', 1],
    ['1.0-r1', '1.0-r10', -1],
    ['1.02', '1.1', -1], // a leading zero compares as a string
    ['1.2.3~abc-r0', '1.2.3-r0', 1], // a commit hash is one more component, so newer
    ['3.0.15-r0', '3.0.15-r1', -1],
    ['1.36.1-r29', '1.36.1-r30', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(apkVersion));
  });
});
