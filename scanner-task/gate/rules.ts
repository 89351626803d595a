// The policy's rules over what counts: each broken rule is one Violation whose message a person
// reads in the CI log (`failOn HIGH: 3 findings at HIGH or above (CVE-2023-0001 in openssl 3.0.1, …)`).
import { COMPLIANCE_GRADES, type ComplianceGrade, type EnvelopeCheck } from '#shared/envelope/envelope-schema.ts';
import { findingName, plural } from './describe-finding.ts';
import type { GateFinding, GateInput, Violation } from './gate-types.ts';
import { atOrAbove, CHECK_LEVELS_TO_FAIL, severityThreshold, type Policy } from './policy.ts';

/** How many findings or checks a message names before `and N more`. */
const NAMED = 3;

function listed<T>(items: readonly T[], name: (item: T) => string): string {
  const named = items.slice(0, NAMED).map(name);
  return items.length > NAMED ? `${named.join(', ')} and ${items.length - NAMED} more` : named.join(', ');
}

function findingsViolation(rule: string, setting: string, findings: readonly GateFinding[], what: string): Violation {
  const count = plural(findings.length, 'finding');
  return {
    rule,
    message: `${setting}: ${count} ${what} (${listed(findings, findingName)})`,
    findingKeys: findings.map((f) => f.key),
    checkIds: [],
    summary: `${setting} broken by ${count}`,
  };
}

/** The rules that read vulnerabilities: an unmatched scan cannot pass them. */
export function vulnerabilityRules(policy: Policy): string[] {
  const threshold = severityThreshold(policy);
  return [
    ...(threshold ? [`failOn ${threshold}`] : []),
    ...(policy.failOnKev ? ['failOnKev'] : []),
    ...(policy.maxRiskScore !== undefined ? [`maxRiskScore ${policy.maxRiskScore}`] : []),
  ];
}

/** The rules the policy sets, by their Violation `rule` names: what a report shows as held when none of them broke. */
export function policyRules(policy: Policy): string[] {
  return [
    ...(severityThreshold(policy) ? ['failOn'] : []),
    ...(policy.failOnKev ? ['failOnKev'] : []),
    ...(policy.maxRiskScore !== undefined ? ['maxRiskScore'] : []),
    ...(policy.minGrade !== undefined ? ['minGrade'] : []),
    ...((policy.failOnChecks ?? []).length > 0 ? ['failOnChecks'] : []),
  ];
}

export function findingViolations(policy: Policy, counted: readonly GateFinding[], riskScore: number | null): Violation[] {
  const violations: Violation[] = [];
  const threshold = severityThreshold(policy);
  const severe = threshold ? counted.filter((f) => atOrAbove(f.severity, threshold)) : [];
  if (threshold && severe.length > 0) violations.push(findingsViolation('failOn', `failOn ${threshold}`, severe, `at ${threshold} or above`));
  const exploited = policy.failOnKev ? counted.filter((f) => f.knownExploited) : [];
  if (exploited.length > 0) violations.push(findingsViolation('failOnKev', 'failOnKev', exploited, "in CISA's Known Exploited Vulnerabilities catalog"));
  if (policy.maxRiskScore !== undefined && riskScore !== null && riskScore > policy.maxRiskScore) {
    const setting = `maxRiskScore ${policy.maxRiskScore}`;
    violations.push({
      rule: 'maxRiskScore',
      message: `${setting}: the risk score of the ${plural(counted.length, 'counted finding')} is ${riskScore}`,
      findingKeys: counted.map((f) => f.key),
      checkIds: [],
      summary: `${setting} broken by risk score ${riskScore}`,
    });
  }
  return violations;
}

export function notMatchedViolation(input: GateInput, rules: readonly string[]): Violation {
  const detail = input.matchingDetail ? ` (${input.matchingDetail})` : '';
  return {
    rule: 'notMatched',
    message: `notMatched: the image was not matched against advisories${detail}, so finding nothing proves nothing; ${rules.join(', ')} cannot pass`,
    findingKeys: [],
    checkIds: [],
    summary: 'the image was not matched against advisories',
  };
}

/** Worse than: later in A–F. */
const worseThan = (grade: ComplianceGrade, min: ComplianceGrade) => COMPLIANCE_GRADES.indexOf(grade) > COMPLIANCE_GRADES.indexOf(min);

export function complianceViolations(policy: Policy, input: GateInput): Violation[] {
  const violations: Violation[] = [];
  const { minGrade } = policy;
  const { grade, score } = input.compliance;
  if (minGrade !== undefined && (grade === null || worseThan(grade, minGrade))) {
    const setting = `minGrade ${minGrade}`;
    // No grade (no checks ran) cannot show the image meets it.
    const message =
      grade === null ? 'the scan has no compliance grade (no checks ran)' : `the compliance grade is ${grade}${score === undefined ? '' : ` (score ${score})`}`;
    violations.push({
      rule: 'minGrade',
      message: `${setting}: ${message}`,
      findingKeys: [],
      checkIds: [],
      summary: `${setting} broken by ${grade === null ? 'no grade' : `grade ${grade}`}`,
    });
  }
  const failed = failedChecks(policy.failOnChecks ?? [], input.checks);
  if (failed.length > 0) {
    const setting = `failOnChecks ${(policy.failOnChecks ?? []).join(', ')}`;
    const count = plural(failed.length, 'check');
    violations.push({
      rule: 'failOnChecks',
      message: `${setting}: ${count} did not pass (${listed(failed, (c) => `${c.id} ${c.level} "${c.title}"`)})`,
      findingKeys: [],
      checkIds: failed.map((c) => c.id),
      summary: `failOnChecks broken by ${count}`,
    });
  }
  return violations;
}

/** Checks that did not pass whose id or level the policy lists (ids and levels in any case). */
function failedChecks(entries: readonly string[], checks: readonly EnvelopeCheck[]): EnvelopeCheck[] {
  const listedEntries = new Set(entries.map((entry) => entry.toUpperCase()));
  const levels = CHECK_LEVELS_TO_FAIL.filter((level) => listedEntries.has(level));
  return checks.filter((check) => check.level !== 'PASS' && (listedEntries.has(check.id.toUpperCase()) || (levels as string[]).includes(check.level)));
}
