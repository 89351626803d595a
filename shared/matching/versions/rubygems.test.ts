import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './rubygems.ts';
import { arbitrary, rubygemsVersion } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

describe('RubyGems versions', () => {
  it.each([
    ['1.0', '1', 0],
    ['1.0.0', '1', 0],
    ['1.0.a', '1.0', -1], // a letter makes a pre-release
    ['1.0.a', '1.0.b', -1],
    ['1.0.a9', '1.0.a10', -1],
    ['1.8.2.a', '1.8.2', -1],
    ['2.0.0.rc1', '2.0.0', -1],
    ['1.0-1', '1.0', -1], // "-" reads as ".pre."
    ['1.0-1', '1.0.pre.1', 0],
    ['0.9', '1.0.a', -1],
    ['1.a', '1.0.a', 0], // trailing zeros of the release part do not count
    ['1.0.0.a.0', '1.0.0.a', 0],
    ['1.A', '1.a', -1], // strings compare byte-wise
    ['6.1.7.8', '6.1.7.10', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(0 - expected || 0);
  });

  // Gem::Version reads "" as "0"; an advisory or lockfile never carries an empty version.
  it.each(['', 'junk', '1..2', '1.0-', '1.0 2', '.1'])('rejects %j', (v) => {
    expect(() => compare(v, '1')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(rubygemsVersion));
  });
});
