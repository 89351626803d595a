// The ranked evaluation (precomputed hits + binary search) must give exactly the verdicts
// osv-ranges.ts gives when it compares versions directly: random entries, every version.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateAffected, type OsvAffected, type OsvEvent } from './osv-ranges.ts';
import { buildOrder, compileHits, orderCompare, position, ranksOf } from './version-order.ts';

const POOLS = {
  npm: ['0.1.0', '1.0.0-rc.1', '1.0.0', '1.0.1', '1.2.0', '2.0.0-beta.2', '2.0.0', '2.1.3', '3.0.0'],
  // "1:1.0-1" and "1:1.0-1" with an explicit zero-padded revision compare equal in dpkg: one slot.
  'Debian:12': ['1.0-1', '1:0.9-1', '1:1.0-01', '1:1.0-1', '1:1.0-1+deb12u1', '1:1.0-1~bpo1', '2.0-1', '1:2.0-1+b1'],
} as const;

function entryArbitrary(pool: readonly string[], type: 'ECOSYSTEM' | 'SEMVER'): fc.Arbitrary<OsvAffected> {
  const v = fc.constantFrom(...pool);
  const event: fc.Arbitrary<OsvEvent> = fc.oneof(
    fc.record({ introduced: fc.oneof(v, fc.constant('0')) }),
    fc.record({ fixed: v }),
    fc.record({ last_affected: v }),
    fc.record({ limit: fc.oneof(v, fc.constant('*')) }),
  );
  const range = fc.record({ type: fc.constant(type), events: fc.array(event, { minLength: 1, maxLength: 5 }) });
  return fc.record({ ranges: fc.array(range, { maxLength: 3 }), versions: fc.array(v, { maxLength: 3 }) });
}

describe('ranked evaluation', () => {
  it.each([
    ['npm', 'SEMVER'],
    ['npm', 'ECOSYSTEM'],
    ['Debian:12', 'ECOSYSTEM'],
  ] as const)('agrees with osv-ranges.ts on %s %s ranges', (ecosystem, type) => {
    const pool = POOLS[ecosystem];
    fc.assert(
      fc.property(fc.array(entryArbitrary(pool, type), { minLength: 1, maxLength: 3 }), (entries) => {
        const ranked = buildOrder(entries, ecosystem);
        if (!ranked) return; // only ranges of one type here, so this means no versions at all
        const ranks = ranksOf(ranked.order);
        const compare = orderCompare(ranked.kind, ecosystem);
        for (const entry of entries) {
          const hits = compileHits(entry, ecosystem, ranked.order, ranks);
          for (const installed of pool) {
            const pos = position(ranked.order, compare, installed);
            const hit = hits.find(([from, to]) => pos >= from && pos <= to);
            const viaRanks = hit ? (hit[2] ? { affected: true, fixedVersion: hit[2] } : { affected: true }) : { affected: false };
            expect(viaRanks, `${installed} in ${JSON.stringify(entry)}`).toEqual(evaluateAffected(entry, installed, ecosystem));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
