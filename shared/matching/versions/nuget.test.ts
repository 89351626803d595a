import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './nuget.ts';
import { arbitrary, nugetVersion } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';

describe('NuGet versions', () => {
  it.each([
    ['1', '1.0.0', 0],
    ['1.0', '1.0.0.0', 0],
    ['01.0.0', '1.0.0', 0],
    ['1.0.0.1', '1.0.0', 1],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-Alpha', '1.0.0-alpha', 0], // labels compare case-insensitively
    ['1.0.0-alpha.2', '1.0.0-alpha.10', -1],
    ['1.0.0-1', '1.0.0-alpha', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0+meta', '1.0.0', 0],
    ['1.0.0-2', '1.0.0-2147483648', -1], // beyond Int32 a label is text, and text sorts after numbers
    ['1.0.0-2147483648', '1.0.0-a', -1],
    ['13.0.1', '13.0.3', -1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(0 - expected || 0);
  });

  it.each(['', 'a', '1.0.0.0.0', '1.0-', 'v1.0', '1.0.0-a..b', '2147483648.0'])('rejects %j', (v) => {
    expect(() => compare(v, '1.0')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(nugetVersion));
  });
});
