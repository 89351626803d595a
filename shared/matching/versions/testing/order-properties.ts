// The laws every comparator must obey, checked with fast-check over a scheme's versions:
// reflexivity, antisymmetry and transitivity (on sorted triples, so they are not vacuous).
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Compare } from '../version-scheme.ts';

export function checkTotalPreorder(compare: Compare, versions: fc.Arbitrary<string>, numRuns = 2000): void {
  fc.assert(
    fc.property(versions, (a) => {
      expect(compare(a, a)).toBe(0);
    }),
    { numRuns },
  );
  fc.assert(
    fc.property(versions, versions, (a, b) => {
      expect(compare(a, b)).toBe(0 - compare(b, a) || 0);
    }),
    { numRuns },
  );
  fc.assert(
    fc.property(fc.array(versions, { minLength: 3, maxLength: 3 }), (triple) => {
      const [a, b, c] = [...triple].sort(compare) as [string, string, string];
      expect(compare(a, b)).toBeLessThanOrEqual(0);
      expect(compare(b, c)).toBeLessThanOrEqual(0);
      expect(compare(a, c)).toBeLessThanOrEqual(0);
      if (compare(a, b) === 0 && compare(b, c) === 0) expect(compare(a, c)).toBe(0);
      if (compare(a, b) < 0 || compare(b, c) < 0) expect(compare(a, c)).toBe(-1);
    }),
    { numRuns },
  );
}
