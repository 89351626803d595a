// The gate's decision. In order: ignore rules, VEX and server triage suppress a finding
// (suppression.ts); then, with onlyFixed, a finding no fix is known for is not counted; then, with
// newOnly, one the baseline already had is not counted; then the rules (rules.ts) judge what counts.
// Every finding ends in exactly one of counted, suppressed, notCountedUnfixed and inBaseline.
import { riskScore } from '#shared/risk/risk-score.ts';
import { plural } from './describe-finding.ts';
import type { GateFinding, GateInput, Suppression, Verdict } from './gate-types.ts';
import type { Policy } from './policy.ts';
import { complianceViolations, findingViolations, notMatchedViolation, vulnerabilityRules } from './rules.ts';
import { isExpired, suppressor } from './suppression.ts';
import type { VexStatement } from './vex/vex-statement.ts';

export interface DecideOptions {
  vex: readonly VexStatement[];
  /** The scan to compare with for newOnly; without one every finding is new (the gate fails closed). */
  baseline?: GateInput;
  /** Injected, so expiry is decided at a time tests choose. */
  now: Date;
  /** What the output calls the policy's ignore rules' home: `.harborguard.yaml` (default `policy`). */
  policySource?: string;
}

export function decide(input: GateInput, policy: Policy, options: DecideOptions): Verdict {
  const rules = (policy.ignore ?? []).map((rule, index) => ({ rule, index }));
  const suppressionOf = suppressor({
    ignore: rules.filter(({ rule }) => !isExpired(rule, options.now)),
    vex: options.vex,
    image: input.image,
    policySource: options.policySource ?? 'policy',
  });
  const baselineKeys = new Set(options.baseline?.findings.map((f) => f.key));
  const suppressed: Array<{ finding: GateFinding; suppression: Suppression }> = [];
  const notCountedUnfixed: GateFinding[] = [];
  const inBaseline: GateFinding[] = [];
  const counted: GateFinding[] = [];
  for (const finding of input.findings) {
    const suppression = suppressionOf(finding);
    if (suppression) suppressed.push({ finding, suppression });
    else if (policy.onlyFixed && finding.fixedVersion === null) notCountedUnfixed.push(finding);
    else if (policy.newOnly && baselineKeys.has(finding.key)) inBaseline.push(finding);
    else counted.push(finding);
  }
  // No match, no score: zero findings of an unmatched scan is not a score of 0 (as for stored scans).
  const score = input.matched ? riskScore(counted) : null;
  const violations = findingViolations(policy, counted, score);
  const readsVulnerabilities = vulnerabilityRules(policy);
  if (!input.matched && readsVulnerabilities.length > 0) violations.push(notMatchedViolation(input, readsVulnerabilities));
  violations.push(...complianceViolations(policy, input));
  return {
    outcome: violations.length === 0 ? 'pass' : 'fail',
    violations,
    counted,
    suppressed,
    inBaseline,
    notCountedUnfixed,
    expiredIgnores: rules
      .filter(({ rule }) => isExpired(rule, options.now))
      .map(({ rule }) => ({ vulnerability: rule.vulnerability, reason: rule.reason, expires: rule.expires! })),
    riskScore: score,
  };
}

/** The CLI's last line: `PASS: …` or `FAIL: failOn HIGH broken by 3 findings; failOnKev broken by 1 finding`. */
export function summaryLine(verdict: Verdict): string {
  if (verdict.outcome === 'fail') return `FAIL: ${verdict.violations.map((v) => v.summary ?? v.rule).join('; ')}`;
  const parts = [
    `${plural(verdict.counted.length, 'finding')} counted`,
    ...(verdict.suppressed.length > 0 ? [`${verdict.suppressed.length} suppressed`] : []),
    ...(verdict.inBaseline.length > 0 ? [`${verdict.inBaseline.length} in the baseline`] : []),
    ...((verdict.notCountedUnfixed?.length ?? 0) > 0 ? [`${verdict.notCountedUnfixed!.length} without a fix not counted`] : []),
    ...(verdict.riskScore === null ? [] : [`risk score ${verdict.riskScore}`]),
    ...(verdict.expiredIgnores.length > 0 ? [`${plural(verdict.expiredIgnores.length, 'ignore rule')} expired`] : []),
  ];
  return `PASS: no policy rule broken; ${parts.join(', ')}`;
}
