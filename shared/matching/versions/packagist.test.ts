import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './packagist.ts';
import { arbitrary, packagistVersion } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

describe('Packagist versions', () => {
  it.each([
    ['v1.0.0', '1.0.0', 0],
    ['1.0', '1.0.0.0', 0], // Composer pads to four parts
    ['1.0.0-beta1', '1.0.0-RC1', -1],
    ['1.0.0-RC1', '1.0.0', -1],
    ['1.0.0-rc1', '1.0.0-RC1', 0],
    ['1.0.0-dev', '1.0.0-alpha', -1],
    ['1.0.0-alpha', '1.0.0-a', 0],
    ['1.0.0-beta.2', '1.0.0-beta2', 0],
    ['1.0.0', '1.0.0-p1', -1], // patch releases sort after the release
    ['1.0.0-patch1', '1.0.0-pl1', 0],
    ['1.0.0-foo', '1.0.0-dev', -1], // unknown words sort below dev
    ['2.4.1', '2.4.10', -1],
    ['1.0.0.1', '1.0.0', 1],
    ['5.4.31', 'v5.4.4', 1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(0 - expected || 0);
  });

  it.each(['', 'dev-master', 'abc', '1.0 0', '1.0#'])('rejects %j', (v) => {
    expect(() => compare(v, '1.0')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(packagistVersion));
  });
});
