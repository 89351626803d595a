// Every finding of a verdict with what became of it, worst first: the reports that list all of
// them (SARIF, so GitHub keeps each alert open; the VDR, as the whole record) read this one list.
import type { GateFinding, Suppression, Verdict } from '../gate-types.ts';
import { worstFirst } from './finding-order.ts';

export type FindingStatus = { kind: 'counted' } | { kind: 'baseline' } | { kind: 'unfixed' } | { kind: 'suppressed'; suppression: Suppression };

/** Why a finding that is neither counted nor suppressed does not fail the gate. */
export const NOT_COUNTED: Record<'baseline' | 'unfixed', string> = {
  baseline: 'already in the baseline (newOnly)',
  unfixed: 'no fix is known (onlyFixed)',
};

export function verdictFindings(verdict: Verdict): Array<{ finding: GateFinding; status: FindingStatus }> {
  return [
    ...verdict.counted.map((finding) => ({ finding, status: { kind: 'counted' } as const })),
    ...verdict.inBaseline.map((finding) => ({ finding, status: { kind: 'baseline' } as const })),
    ...(verdict.notCountedUnfixed ?? []).map((finding) => ({ finding, status: { kind: 'unfixed' } as const })),
    ...verdict.suppressed.map(({ finding, suppression }) => ({ finding, status: { kind: 'suppressed', suppression } as const })),
  ].sort((a, b) => worstFirst(a.finding, b.finding));
}
