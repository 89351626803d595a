// The verdict as JSON a user scripts against (`jq '.verdict.violations[].rule'`): what was decided
// and the image it was decided for. Stable: lists in a fixed order, object keys sorted below the
// top level, so the same verdict gives the same bytes whatever order the scan listed things in.
import { CHECK_LEVELS } from '#shared/envelope/envelope-schema.ts';
import type { GateInput, Verdict } from '../gate-types.ts';
import { byCodeUnits, worstFirst } from './finding-order.ts';

/** Bumped when a field changes meaning or goes away; new fields do not bump it. */
const SCHEMA = 'harborguard-ci/v1';

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => byCodeUnits(a, b))
      .map(([k, v]) => [k, sortedKeys(v)]),
  );
}

export function toGateJson(input: GateInput, verdict: Verdict): string {
  const doc = {
    schema: SCHEMA,
    outcome: verdict.outcome,
    riskScore: verdict.riskScore,
    input: {
      image: input.image,
      ...(input.scan ? { scan: input.scan } : {}),
      matched: input.matched,
      ...(input.matchingDetail ? { matchingDetail: input.matchingDetail } : {}),
      compliance: input.compliance,
      findings: input.findings.length,
      checks: Object.fromEntries(CHECK_LEVELS.map((level) => [level, input.checks.filter((c) => c.level === level).length])),
    },
    verdict: {
      // The policy's order: the rule a reader set first fails first.
      violations: verdict.violations.map((v) => ({ ...v, findingKeys: [...v.findingKeys].sort(byCodeUnits), checkIds: [...v.checkIds].sort(byCodeUnits) })),
      counted: [...verdict.counted].sort(worstFirst),
      suppressed: [...verdict.suppressed].sort((a, b) => worstFirst(a.finding, b.finding)),
      inBaseline: [...verdict.inBaseline].sort(worstFirst),
      notCountedUnfixed: [...(verdict.notCountedUnfixed ?? [])].sort(worstFirst),
      expiredIgnores: [...verdict.expiredIgnores].sort((a, b) => byCodeUnits(a.vulnerability, b.vulnerability) || byCodeUnits(a.expires, b.expires)),
    },
  };
  return `${JSON.stringify({ ...doc, input: sortedKeys(doc.input), verdict: sortedKeys(doc.verdict) }, null, 2)}\n`;
}
