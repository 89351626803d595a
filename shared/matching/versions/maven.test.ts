import { describe, expect, it } from 'vitest';
import { InvalidVersionError } from './invalid-version-error.ts';
import { compare } from './maven.ts';
import { compareAll } from './testing/compare-all.ts';
import { arbitrary, editMaven, mavenVersion } from './testing/generators.ts';
import { oracle } from './testing/oracle.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';
import { pairs, seeded } from './testing/random.ts';
import { MAVEN_ARTIFACT_JAR, mavenVerdicts } from './testing/run-oracles.ts';

// Ascending sequences in the spirit of Maven's documented version order.
const ASCENDING = [
  [
    '1-alpha2snapshot',
    '1-alpha2',
    '1-alpha-123',
    '1-beta-2',
    '1-beta123',
    '1-m2',
    '1-m11',
    '1-rc',
    '1-cr2',
    '1-rc123',
    '1-SNAPSHOT',
    '1',
    '1-sp',
    '1-sp2',
    '1-sp123',
    '1-abc',
    '1-def',
    '1-pom-1',
    '1-1-snapshot',
    '1-1',
    '1-2',
    '1-123',
  ],
  [
    '2.0',
    '2.0.a',
    '2-1',
    '2.0.2',
    '2.0.123',
    '2.1.0',
    '2.1-a',
    '2.1b',
    '2.1-c',
    '2.1-1',
    '2.1.0.1',
    '2.2',
    '2.123',
    '11.a2',
    '11.a11',
    '11.b2',
    '11.b11',
    '11.m2',
    '11.m11',
    '11',
    '11.a',
    '11b',
    '11c',
    '11m',
  ],
];

describe('Maven versions', () => {
  it.each(ASCENDING.flatMap((list) => list.slice(1).map((v, i) => [list[i] as string, v])))('%s < %s', (a, b) => {
    expect(compare(a, b)).toBe(-1);
    expect(compare(b, a)).toBe(1);
  });

  it.each([
    ['1', '1.0.0'],
    ['1.ga', '1'],
    ['1.final', '1-release'],
    ['1.0.RC1', '1.0-rc1'],
    ['1-cr1', '1-rc1'],
    ['1.0-alpha1', '1.0-a1'],
    ['1.0-SNAPSHOT', '1.0-snapshot'],
    ['1.0.0-foo.0.0', '1-foo'],
    ['1.0-1', '1-1'],
  ])('%s = %s', (a, b) => {
    expect(compare(a, b)).toBe(0);
  });

  it('rejects an empty version', () => {
    expect(() => compare('', '1')).toThrow(InvalidVersionError);
  });

  // Maven's own order is not transitive where a qualifier after a dot is followed by more items:
  // it stays a plain string item ("11.RCfinal-9" is [11, rcfinal, [9]]), which Maven ranks below
  // any list, and a list below the release: 11 > 11-milestone > 11.RCfinal-9.93658 > 11 (Maven
  // 3.8's ComparableVersion prints exactly this cycle). Matching compares a version with each
  // bound pairwise, as Maven does; the laws hold, and are checked, over every other version.
  const STRING_ITEM_INSIDE = /\.[a-z]+[.-]/i;
  // Likewise where a hyphen opens a list whose first qualifier is a release ("ga", "final",
  // "release", or none: "1--…") and more items follow: Maven drops the null qualifier and keeps the
  // nested list, so 1-final-a7 < 1 < 1-mm.7 < 1-final-a7 (Maven 3.8's ComparableVersion again).
  const NULL_QUALIFIER_LIST = /-(?:ga|final|release)?[.-]/i;

  it('is a total preorder outside the form where Maven itself is cyclic', () => {
    checkTotalPreorder(
      compare,
      arbitrary(mavenVersion).filter((v) => !STRING_ITEM_INSIDE.test(v) && !NULL_QUALIFIER_LIST.test(v)),
    );
  });

  it("keeps Maven's own cycle rather than invent an order Maven does not have", () => {
    expect(STRING_ITEM_INSIDE.test('11.RCfinal-9.93658')).toBe(true);
    expect([compare('11.ga', '11milestone'), compare('11milestone', '11.RCfinal-9.93658'), compare('11.RCfinal-9.93658', '11.ga')]).toEqual([1, 1, 1]);
    expect(NULL_QUALIFIER_LIST.test('1-final-a7') && NULL_QUALIFIER_LIST.test('1--ga-a007')).toBe(true);
    expect([compare('1-final-a7', '1'), compare('1', '1-mm.7'), compare('1-mm.7', '1-final-a7')]).toEqual([-1, -1, -1]);
  });

  const maven = oracle(
    "agrees with Maven's ComparableVersion on 4000 generated pairs",
    ['java', '-cp', MAVEN_ARTIFACT_JAR, 'org.apache.maven.artifact.versioning.ComparableVersion', '1'],
    'apt-get install -y default-jre-headless libmaven3-core-java',
  );
  it.runIf(maven.run)(
    maven.title,
    () => {
      maven.assertAvailable();
      const cases = pairs(seeded(20240603), 4000, mavenVersion, editMaven);
      const result = compareAll(compare, cases, mavenVerdicts(cases));
      expect(result.mismatches).toEqual([]);
      expect(result.verdicts['=']).toBeGreaterThan(50);
    },
    60_000,
  );
});
