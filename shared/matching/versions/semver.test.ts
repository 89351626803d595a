import fc from 'fast-check';
import nodeSemver from 'semver';
import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './semver.ts';
import { arbitrary, semverVersion } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

// semver.org §11's example chain, ascending.
const ASCENDING = [
  '1.0.0-alpha',
  '1.0.0-alpha.1',
  '1.0.0-alpha.beta',
  '1.0.0-beta',
  '1.0.0-beta.2',
  '1.0.0-beta.11',
  '1.0.0-rc.1',
  '1.0.0',
  '2.0.0',
  '2.1.0',
  '2.1.1',
];

describe('SemVer 2.0.0', () => {
  it.each(ASCENDING.slice(1).map((v, i) => [ASCENDING[i] as string, v]))('%s < %s', (a, b) => {
    expect(compare(a, b)).toBe(-1);
    expect(compare(b, a)).toBe(1);
  });

  it.each([
    ['1.0.0+build.1', '1.0.0+build.2', 0], // build metadata does not count
    ['1.0.0-1', '1.0.0-a', -1], // numeric identifiers below alphanumeric ones
    ['1.0.0-2', '1.0.0-10', -1],
    ['1.0.0-a-b', '1.0.0-a', 1],
    ['10.0.0', '9.99.99', 1],
    ['1.0.0-rc.1', '1.0.0-rc.1.0', -1],
    ['99999999999999999999.0.0', '99999999999999999998.0.0', 1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it.each(['', '1', '1.0', 'v1.0.0', '01.0.0', '1.0.0-01', '1.0.0-', '1.0.0+', '1.0.0-a..b', '1.0.0 ', '1.0.0-é'])('rejects %j', (v) => {
    expect(() => compare(v, '1.0.0')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(semverVersion));
  });

  // node-semver is the reference for npm and follows the spec's precedence.
  it('orders like node-semver', () => {
    fc.assert(
      fc.property(arbitrary(semverVersion), arbitrary(semverVersion), (a, b) => {
        expect(compare(a, b)).toBe(nodeSemver.compare(a, b));
      }),
      { numRuns: 5000 },
    );
  });
});
