import { describe, expect, it } from 'vitest';
import { compare } from './dpkg.ts';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compareAll } from './testing/compare-all.ts';
import { dpkgVersion, editDpkg, arbitrary } from './testing/generators.ts';
import { oracle } from './testing/oracle.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';
import { pairs, seeded } from './testing/random.ts';
import { dpkgVerdicts } from './testing/run-oracles.ts';

describe('dpkg versions', () => {
  it.each([
    ['1.0', '1.0-1', -1],
    ['1.0', '1.0-0', 0],
    ['0:1.0', '1.0', 0],
    ['1:1.0', '2.0', 1],
    ['1.0~rc1', '1.0', -1],
    ['1.0~~', '1.0~', -1],
    ['1.0~', '1.0', -1],
    ['1.0', '1.0a', -1],
    ['1.0a', '1.0+', -1],
    ['1.001', '1.1', 0],
    ['5.2.15-2', '5.2.15-2+b13', -1], // binNMU of the same source version
    ['1.0-1+b1', '1.0-2', -1],
    ['2.38.1-5+deb12u1', '2.38.1-5', 1],
    ['1:2.38.1-5', '2.38.1-5', 1], // a binary epoch absent from the source version
    ['7.88.1-10+deb12u5', '7.88.1-10+deb12u12', -1],
    ['1.2.3-1ubuntu0.1', '1.2.3-1ubuntu1', -1],
    [' 1.0 ', '1.0', 0], // dpkg trims surrounding whitespace
    ['a', '1', 1], // dpkg warns (no leading digit) but still orders
  ] as const)('%s vs %s → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
    expect(compare(b, a)).toBe(0 - expected || 0);
  });

  it.each([
    ['', 'version string is empty'],
    ['1 0', 'embedded spaces'],
    [':1', 'epoch in version is empty'],
    ['a:1', 'epoch in version is empty'],
    ['1:', 'nothing after colon'],
    ['2147483648:1', 'epoch in version is too big'],
    ['1.0-', 'revision number is empty'],
    ['1:-1', 'version number is empty'],
  ])('rejects %j as dpkg does (%s)', (version, reason) => {
    expect(() => compare(version, '1')).toThrow(InvalidVersionError);
    expect(() => compare(version, '1')).toThrow(reason);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(dpkgVersion));
  });

  const dpkg = oracle('agrees with dpkg --compare-versions on 4000 generated pairs', ['dpkg', '--version'], 'apt-get install -y dpkg');
  it.runIf(dpkg.run)(
    dpkg.title,
    async () => {
      dpkg.assertAvailable();
      const cases = pairs(seeded(20240601), 4000, dpkgVersion, editDpkg);
      const result = compareAll(compare, cases, await dpkgVerdicts(cases));
      expect(result.mismatches).toEqual([]);
      expect(result.verdicts['<']).toBeGreaterThan(500);
      expect(result.verdicts['=']).toBeGreaterThan(50);
      expect(result.verdicts.error).toBeGreaterThan(10);
    },
    60_000,
  );
});
