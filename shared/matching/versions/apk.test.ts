import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, validate } from './apk.ts';
import { apkVersion, arbitrary } from './testing/generators.ts';
import { checkTotalPreorder } from './testing/order-properties.ts';
import { editChars, seeded } from './testing/random.ts';

// No apk binary runs on Debian, so apk-tools' own answers are the oracle: its published
// vectors, and the p-version orderings its comparison gives (provenance in each file's header).
function readRows(file: string): { comparisons: Array<[string, '<' | '=' | '>', string]>; validity: string[] } {
  const lines = readFileSync(new URL(`./testdata/${file}`, import.meta.url), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
  const comparisons = lines
    .map((line) => line.split(/\s+/))
    .filter((parts): parts is [string, '<' | '=' | '>', string] => parts.length === 3 && ['<', '=', '>'].includes(parts[1] ?? ''));
  return { comparisons, validity: lines.filter((line) => !line.includes(' ')) };
}

const EXPECTED = { '<': -1, '=': 0, '>': 1 } as const;
const disagreements = (rows: Array<[string, '<' | '=' | '>', string]>): string[] =>
  rows
    .filter(([a, op, b]) => compare(a, b) !== EXPECTED[op] || compare(b, a) !== 0 - EXPECTED[op] + 0)
    .map(([a, op, b]) => `${a} ${op} ${b}: got ${compare(a, b)}`);

const vectors = readRows('apk-version.data');
const pVersions = readRows('apk-p-versions.data');

describe('apk versions', () => {
  it('reads the apk-tools vectors and the p-version orderings', () => {
    expect(vectors.comparisons.length).toBeGreaterThan(700);
    expect(vectors.validity.length).toBeGreaterThan(30);
    expect(pVersions.comparisons).toHaveLength(351);
    expect(pVersions.validity).toHaveLength(27);
  });

  it('agrees with every apk-tools comparison vector, including those between invalid versions', () => {
    expect(vectors.comparisons.some(([a, , b]) => !validate(a) || !validate(b))).toBe(true);
    expect(disagreements(vectors.comparisons)).toEqual([]);
  });

  it('orders p-versions, valid or not, as apk_version_compare does', () => {
    expect(pVersions.validity.filter((row) => row.startsWith('!')).length).toBeGreaterThan(5);
    expect(disagreements(pVersions.comparisons)).toEqual([]);
  });

  it.each([...vectors.validity, ...pVersions.validity])('validity row %j', (row) => {
    const version = row.startsWith('!') ? row.slice(1) : row;
    expect(validate(version)).toBe(!row.startsWith('!'));
  });

  it.each([
    ['1.0', '1.0_alpha', 1], // apk-tools 2 got this one backwards; 3 fixed it
    ['1.0_alpha', '1.0_beta', -1],
    ['1.0_rc1', '1.0', -1],
    ['1.0', '1.0_p1', -1],
    ['1.0_git20240101', '1.0_p1', -1],
    ['1.0a', '1.0', 1],
    ['1.0a', '1.0_p1', 1],
    ['1.0-r0', '1.0', 1],
    ['1.0-r1', '1.0-r10', -1],
    ['1.02', '1.1', -1], // a leading zero compares as a string
    ['1.2.3~abc-r0', '1.2.3-r0', 1], // a commit hash is one more component, so newer
    ['3.0.15-r0', '3.0.15-r1', -1],
    ['1.36.1-r29', '1.36.1-r30', -1],
    // Rejected by the validator, still ordered: the invalid rest ranks below any valid one.
    ['5.1p1-r0', '5.2_p1-r0', -1],
    ['5.1p1-r0', '5.1_p1-r0', 1], // a letter is a later component kind than a suffix
    ['5.1p1-r0', '5.1p-r0', -1],
    ['5.1p1-r0', '5.1p2-r0', 0], // apk does not read past the invalid "1"
    ['', 'abc', 0],
    ['abc', '0', -1],
    // apk reads numbers into 64 bits without an overflow check.
    ['18446744073709551617', '2', -1],
  ] as const)('%j vs %j → %i', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it('is a total preorder over valid versions', () => {
    checkTotalPreorder(compare, arbitrary(apkVersion));
  });

  // Matching sorts an advisory's versions once and binary-searches them, so the order must
  // stay a preorder once invalid versions (edits that break the grammar) are mixed in.
  it('is a total preorder over any string', () => {
    const broken = fc.integer().map((seed) => {
      const r = seeded(seed);
      let v = apkVersion(r);
      for (let n = 1 + r.int(3); n > 0; n--) v = editChars(r, v, '0123456789.-_~rpabz');
      return v;
    });
    checkTotalPreorder(compare, fc.oneof(arbitrary(apkVersion), broken, fc.string({ maxLength: 8 })));
  });
});
