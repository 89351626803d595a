// Runs our comparator over pairs and reports where it disagrees with an oracle's verdicts,
// plus how the verdicts are spread (a run of nothing but "<" would prove little).
import { InvalidVersionError } from '../invalid-version-error.ts';
import type { Compare } from '../version-scheme.ts';
import { verdictOf, type Verdict } from './oracle.ts';

export function ourVerdict(compare: Compare, a: string, b: string): Verdict {
  try {
    return verdictOf(compare(a, b));
  } catch (error) {
    if (error instanceof InvalidVersionError) return 'error';
    throw error;
  }
}

export interface OracleRun {
  mismatches: string[];
  verdicts: Record<Verdict, number>;
}

export function compareAll(compare: Compare, pairs: Array<[string, string]>, oracle: Verdict[]): OracleRun {
  if (oracle.length !== pairs.length) throw new Error(`oracle answered ${oracle.length} of ${pairs.length} pairs`);
  const run: OracleRun = { mismatches: [], verdicts: { '<': 0, '=': 0, '>': 0, error: 0 } };
  pairs.forEach(([a, b], i) => {
    const expected = oracle[i] as Verdict;
    const ours = ourVerdict(compare, a, b);
    run.verdicts[expected]++;
    if (ours !== expected) run.mismatches.push(`${a} ? ${b}: oracle ${expected}, ours ${ours}`);
  });
  return run;
}
