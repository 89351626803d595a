import { describe, expect, it } from 'vitest';
import { compare } from './go.ts';
import { InvalidVersionError } from './invalid-version-error.ts';
import { arbitrary, semverVersion } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

describe('Go module versions', () => {
  it.each([
    ['v1.2.3', '1.2.3', 0], // OSV's Go data drops the "v"
    ['v1', 'v1.0.0', 0],
    ['v1.2', 'v1.2.0', 0],
    ['v2.0.0+incompatible', 'v2.0.0', 0],
    ['v2.0.1+incompatible', 'v2.0.0', 1],
    ['v0.0.0-20191109021931-daa7c04131f5', 'v0.0.0-20200101000000-aaaaaaaaaaaa', -1], // pseudo-versions
    ['v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.3', 1],
    ['v1.2.4-0.20191109021931-daa7c04131f5', 'v1.2.4', -1],
    ['1.21.0-rc.1', '1.21.0', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it.each(['', 'v', 'v1.2.3.4', 'v01.2.3', 'v1.2-pre', 'go1.21', 'vv1.0.0'])('rejects %j', (v) => {
    expect(() => compare(v, 'v1.0.0')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(
      compare,
      arbitrary((r) => (r.chance(0.5) ? 'v' : '') + (r.chance(0.2) ? String(r.int(5)) : semverVersion(r))),
    );
  });
});
