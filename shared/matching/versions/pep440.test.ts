import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './pep440.ts';
import { compareAll } from './testing/compare-all.ts';
import { arbitrary, pep440Version } from './testing/generators.ts';
import { oracle } from './testing/oracle.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';
import { pairs, seeded } from './testing/random.ts';
import { pep440Verdicts } from './testing/run-oracles.ts';

// The order the specification spells out, ascending.
const ASCENDING = [
  '1.0.dev456',
  '1.0a1',
  '1.0a2.dev456',
  '1.0a12.dev456',
  '1.0a12',
  '1.0b1.dev456',
  '1.0b2',
  '1.0b2.post345.dev456',
  '1.0b2.post345',
  '1.0rc1.dev456',
  '1.0rc1',
  '1.0',
  '1.0+abc.5',
  '1.0+abc.7',
  '1.0+5',
  '1.0.post456.dev34',
  '1.0.post456',
  '1.0.15',
  '1.1.dev1',
  '1!0.1',
];

describe('PEP 440 versions', () => {
  it.each(ASCENDING.slice(1).map((v, i) => [ASCENDING[i] as string, v]))('%s < %s', (a, b) => {
    expect(compare(a, b)).toBe(-1);
    expect(compare(b, a)).toBe(1);
  });

  it.each([
    ['1.0', '1.0.0'],
    ['v1.0', '1.0'],
    ['1.0-alpha_1', '1.0a1'],
    ['1.0.c1', '1.0rc1'],
    ['1.0-pre1', '1.0rc1'],
    ['1.0-1', '1.0.post1'],
    ['1.0.post', '1.0.post0'],
    ['1.0-r4', '1.0.post4'],
    ['1.0.DEV', '1.0.dev0'],
    ['1.0+Ubuntu-1', '1.0+ubuntu.1'],
    ['0!1.0', '1.0'],
    [' 1.0 ', '1.0'],
  ])('%s = %s (normalisation)', (a, b) => {
    expect(compare(a, b)).toBe(0);
  });

  it.each(['', 'french toast', '1.0-', '1.0+', '1.0.x', '1..0', '1.0+local_'])('rejects %j', (v) => {
    expect(() => compare(v, '1.0')).toThrow(InvalidVersionError);
  });

  it('is a total preorder', () => {
    checkTotalPreorder(compare, arbitrary(pep440Version));
  });

  const packaging = oracle(
    'agrees with the packaging library on 4000 generated pairs',
    ['python3', '-c', 'import packaging.version'],
    'apt-get install -y python3-packaging',
  );
  it.runIf(packaging.run)(
    packaging.title,
    () => {
      packaging.assertAvailable();
      const edit = (r: ReturnType<typeof seeded>, v: string): string =>
        r.chance(0.3) ? pep440Version(r) : v + r.pick(['.0', 'a1', '.post1', '.dev0', '+1', '-1', 'rc', '.0.0']);
      const cases = pairs(seeded(20240604), 4000, pep440Version, edit);
      const result = compareAll(compare, cases, pep440Verdicts(cases));
      expect(result.mismatches).toEqual([]);
      expect(result.verdicts['=']).toBeGreaterThan(50);
    },
    60_000,
  );
});
