// JUnit XML for CI test tabs (GitLab, Jenkins, GitHub test reporters): one suite for the image; a
// failing test per finding or check that broke a policy rule (the rule as its class), a passing test
// per rule that held, so a passing gate still shows what it checked, and a skipped test per finding
// that did not count (suppressed, already in the baseline, or without a fix under onlyFixed).
import type { EnvelopeCheck } from '#shared/envelope/envelope-schema.ts';
import type { GateFinding, GateInput, Verdict, Violation } from '../gate-types.ts';
import { findingName, findingSummary, suppressionText } from '../describe-finding.ts';
import { byCodeUnits, worstFirst } from './finding-order.ts';
import { NOT_COUNTED, verdictFindings } from './verdict-findings.ts';
import { xmlAttribute, xmlText } from './xml-text.ts';

export interface JunitOptions {
  /**
   * The policy rules that were evaluated, by name and optionally their setting (`failOnKev`,
   * `failOn HIGH`, `maxRiskScore 40`): those without a violation are passing tests.
   */
  rules?: string[];
}

/** Rules judged on all counted findings together: one test, whose failure lists them, not one per finding. */
const AGGREGATE_RULES = new Set(['maxRiskScore']);

interface TestCase {
  classname: string;
  name: string;
  outcome?: { element: 'failure'; message: string; type: string; details: string } | { element: 'skipped'; message: string };
}

const findingDetails = (f: GateFinding): string => [findingSummary(f), ...(f.title ? [f.title] : []), ...f.references].join('\n');
const findingSummaryLine = (f: GateFinding): string => `${f.vulnerabilityId}: ${findingSummary(f)}`;
const checkDetails = (c: EnvelopeCheck): string => [`${c.title} (${c.level})`, ...(c.details ?? [])].join('\n');

function violationCases(violation: Violation, findings: Map<string, GateFinding>, checks: Map<string, EnvelopeCheck>): TestCase[] {
  const failure = (details: string) => ({ element: 'failure' as const, message: violation.message, type: violation.rule, details });
  if (AGGREGATE_RULES.has(violation.rule)) {
    const named = violation.findingKeys.map((key) => findings.get(key)).flatMap((f) => (f ? [f] : []));
    const details = [violation.message, '', ...named.sort(worstFirst).map(findingSummaryLine)].join('\n');
    return [{ classname: violation.rule, name: violation.message, outcome: failure(details) }];
  }
  const known = violation.findingKeys.flatMap((key) => findings.get(key) ?? []).sort(worstFirst);
  const unknown = violation.findingKeys.filter((key) => !findings.has(key)).sort(byCodeUnits);
  const cases: TestCase[] = [
    ...known.map((f) => ({ classname: violation.rule, name: findingName(f), outcome: failure(findingDetails(f)) })),
    ...unknown.map((key) => ({ classname: violation.rule, name: key, outcome: failure(key) })),
    ...[...violation.checkIds].sort(byCodeUnits).map((id) => {
      const check = checks.get(id);
      return { classname: violation.rule, name: check ? `${id}: ${check.title}` : id, outcome: failure(check ? checkDetails(check) : id) };
    }),
  ];
  // A rule over the whole image (minGrade, notMatched) names no finding or check.
  return cases.length > 0 ? cases : [{ classname: violation.rule, name: violation.message, outcome: failure(violation.message) }];
}

function testCase(c: TestCase): string {
  const open = `    <testcase classname="${xmlAttribute(c.classname)}" name="${xmlAttribute(c.name)}"`;
  if (!c.outcome) return `${open}/>`;
  const o = c.outcome;
  const body =
    o.element === 'failure'
      ? `<failure message="${xmlAttribute(o.message)}" type="${xmlAttribute(o.type)}">${xmlText(o.details)}</failure>`
      : `<skipped message="${xmlAttribute(o.message)}"/>`;
  return `${open}>\n      ${body}\n    </testcase>`;
}

export function toJunit(input: GateInput, verdict: Verdict, options: JunitOptions = {}): string {
  const findings = new Map([...input.findings, ...verdict.counted].map((f) => [f.key, f]));
  const checks = new Map(input.checks.map((c) => [c.id, c]));
  // The policy's own order of rules, then any rule that failed without being listed.
  const listedRules = new Map((options.rules ?? []).map((entry) => [entry.split(' ')[0]!, entry]));
  for (const v of verdict.violations) if (!listedRules.has(v.rule)) listedRules.set(v.rule, v.rule);
  const cases: TestCase[] = [
    ...[...listedRules].flatMap(([rule, setting]) => {
      const violations = verdict.violations.filter((v) => v.rule === rule);
      return violations.length > 0 ? violations.flatMap((v) => violationCases(v, findings, checks)) : [{ classname: rule, name: `${setting} held` }];
    }),
    ...verdictFindings(verdict).flatMap(({ finding, status }): TestCase[] => {
      const skipped = (classname: string, message: string) => [{ classname, name: findingName(finding), outcome: { element: 'skipped' as const, message } }];
      switch (status.kind) {
        case 'counted':
          return [];
        case 'suppressed':
          return skipped('suppressed', `suppressed: ${suppressionText(status.suppression)}`);
        case 'baseline':
          return skipped('newOnly', `not counted: ${NOT_COUNTED.baseline}`);
        case 'unfixed':
          return skipped('onlyFixed', `not counted: ${NOT_COUNTED.unfixed}`);
      }
    }),
  ];
  const failures = cases.filter((c) => c.outcome?.element === 'failure').length;
  const skipped = cases.filter((c) => c.outcome?.element === 'skipped').length;
  const counts = `tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}"`;
  const properties = [
    ['image', input.image.reference],
    ...(input.image.digest ? [['digest', input.image.digest]] : []),
    ['outcome', verdict.outcome],
    ['riskScore', verdict.riskScore === null ? 'not matched' : String(verdict.riskScore)],
    ...(input.scan?.url ? [['scan', input.scan.url]] : []),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="harborguard ci" ${counts}>`,
    `  <testsuite name="${xmlAttribute(`harborguard ci: ${input.image.reference}`)}" ${counts}>`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${xmlAttribute(value!)}"/>`),
    '    </properties>',
    ...cases.map(testCase),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
