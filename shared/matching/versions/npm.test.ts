import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './npm.ts';
import { arbitrary, semverVersion } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

describe('npm versions', () => {
  it.each([
    ['v1.2.3', '1.2.3', 0], // node-semver takes a leading "v" or "="
    ['=1.2.3', '1.2.3', 0],
    [' 1.2.3 ', '1.2.3', 0],
    ['4.17.15', '4.17.21', -1],
    ['1.2.5', '1.2.6', -1],
    ['4.17.1', '4.17.1-rc.0', 1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it.each(['1.2', 'latest', '9007199254740992.0.0', `1.0.0-${'a'.repeat(300)}`])('rejects %j', (v) => {
    expect(() => compare(v, '1.0.0')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(
      compare,
      arbitrary((r) => (r.chance(0.3) ? 'v' : '') + semverVersion(r)),
    );
  });
});
