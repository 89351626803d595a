import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './rpm.ts';
import { compareAll } from './testing/compare-all.ts';
import { arbitrary, editRpm, rpmVersion } from './testing/generators.ts';
import { oracle } from './testing/oracle.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';
import { pairs, seeded } from './testing/random.ts';
import { rpmVerdicts } from './testing/run-oracles.ts';

describe('rpm versions', () => {
  it.each([
    ['1.0', '1.0a', -1],
    ['1:1.0-1', '2.0-1', 1],
    ['0:1.0', '1.0', 0],
    [':1.0', '0:1.0', 0],
    ['1.0~rc1', '1.0', -1],
    ['1.0^git1', '1.0', 1],
    ['1.0^git1', '1.0.1', -1],
    ['1.0~rc1^git1', '1.0~rc1', 1],
    ['1.0', '1_0', 0], // separators only separate
    ['1.0', '1.0-1', -1], // a release on one side only wins when versions tie
    ['1.0-~', '1.0', 1],
    ['2.9.1-6.el9_1', '2.9.1-6.el9', 1],
    ['3.0.7-27.el9', '3.0.7-25.el9_3', 1],
    ['1:3.0.7-27.el9', '3.0.7-28.el9', 1],
    ['1.01', '1.1', 0],
    ['1a', '1', 1],
    ['a', '1', -1], // numeric segments are newer than alphabetic ones
    ['1.0.0', '1.0', 1],
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(0 - expected || 0);
  });

  it('rejects the empty string, the only input rpm.vercmp refuses', () => {
    expect(() => compare('', '1')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(rpmVersion));
  });

  const rpm = oracle('agrees with rpm.vercmp on 6000 generated pairs', ['rpm', '--version'], 'apt-get install -y rpm');
  it.runIf(rpm.run)(
    rpm.title,
    () => {
      rpm.assertAvailable();
      const cases = pairs(seeded(20240602), 6000, rpmVersion, editRpm);
      const result = compareAll(compare, cases, rpmVerdicts(cases));
      expect(result.mismatches).toEqual([]);
      expect(result.verdicts['<']).toBeGreaterThan(500);
      expect(result.verdicts['=']).toBeGreaterThan(50);
    },
    60_000,
  );
});
