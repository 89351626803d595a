import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import type { GateFinding, Verdict } from './gate-types.ts';
import type { IgnoreRule, Policy } from './policy.ts';
import { finding, gateInput } from './testdata/gate-fixtures.ts';
import { decide } from './verdict.ts';
import { SUPPRESSING_STATUSES, VEX_STATUSES, type VexStatement, type VexStatus } from './vex/vex-statement.ts';

// Small pools, so that rules, statements and baselines often hit the findings they are drawn against.
const IDS = ['CVE-2024-0001', 'CVE-2024-0002', 'GHSA-aaaa-bbbb-cccc', 'DSA-5000-1'];
const PACKAGES = ['openssl', 'zlib1g', 'qs'];
const VERSIONS = ['1.0', '2.0'];
const NOW = new Date('2026-03-15T00:00:00Z');

const findingArb: fc.Arbitrary<GateFinding> = fc
  .record({
    id: fc.constantFrom(...IDS),
    aliases: fc.subarray(IDS),
    pkg: fc.constantFrom(...PACKAGES),
    version: fc.constantFrom(...VERSIONS),
    severity: fc.constantFrom(...SEVERITIES),
    cvss: fc.option(fc.integer({ min: 0, max: 100 }).map((n) => n / 10)),
    fixed: fc.boolean(),
    kev: fc.boolean(),
    triage: fc.option(fc.constantFrom('OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'FIXED', 'WONT_FIX'), { nil: undefined }),
  })
  .map(({ id, aliases, pkg, version, severity, cvss, fixed, kev, triage }) =>
    finding(id, pkg, version, {
      aliases: aliases.filter((alias) => alias !== id),
      severity,
      cvss,
      fixedVersion: fixed ? `${version}.1` : null,
      knownExploited: kev,
      purl: `pkg:deb/debian/${pkg}@${version}?arch=amd64`,
      ...(triage ? { triage: { status: triage } } : {}),
    }),
  );

const ruleArb: fc.Arbitrary<IgnoreRule> = fc.record(
  {
    vulnerability: fc.constantFrom(...IDS, ...IDS.map((id) => id.toLowerCase())),
    package: fc.constantFrom(...PACKAGES, '*', 'z*'),
    reason: fc.constant('because'),
    expires: fc.constantFrom('2026-01-01', '2027-01-01'),
  },
  { requiredKeys: ['vulnerability', 'reason'] },
);

const statementArb = (statuses: readonly VexStatus[]): fc.Arbitrary<VexStatement> =>
  fc.record({
    vulnerabilities: fc.subarray(IDS, { minLength: 1 }),
    products: fc
      .subarray([...PACKAGES.map((p) => `pkg:deb/debian/${p}`), ...PACKAGES.map((p) => `pkg:deb/debian/${p}@1.0`), 'pkg:oci/api?tag=1.4'], { minLength: 1 })
      .map((ids) => ids.map((id) => ({ ids: [id], subcomponents: [] }))),
    status: fc.constantFrom(...statuses),
    timestamp: fc.constantFrom('2024-01-01T00:00:00Z', '2025-01-01T00:00:00Z'),
    source: fc.constant('vex.json#0'),
  });

const policyArb: fc.Arbitrary<Policy> = fc.record({
  failOn: fc.constantFrom('CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'),
  onlyFixed: fc.boolean(),
  newOnly: fc.boolean(),
  failOnKev: fc.boolean(),
  ignore: fc.array(ruleArb, { maxLength: 3 }),
});

const scenarioArb = fc.record({
  findings: fc.array(findingArb, { maxLength: 12 }),
  policy: policyArb,
  vex: fc.array(statementArb(VEX_STATUSES), { maxLength: 4 }),
  baselineMask: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function run({ findings, policy, vex, baselineMask }: Scenario, extra: { ignore?: IgnoreRule[]; vex?: VexStatement[] } = {}): Verdict {
  const baseline = gateInput(findings.filter((_, i) => baselineMask[i]));
  return decide(
    gateInput(findings),
    { ...policy, ignore: [...(policy.ignore ?? []), ...(extra.ignore ?? [])] },
    { vex: [...vex, ...(extra.vex ?? [])], baseline, now: NOW },
  );
}

describe('decide (properties)', () => {
  it('puts every finding in exactly one of counted, suppressed, inBaseline and notCountedUnfixed', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const verdict = run(scenario);
        const placed = [...verdict.counted, ...verdict.suppressed.map((s) => s.finding), ...verdict.inBaseline, ...(verdict.notCountedUnfixed ?? [])];
        // By identity: the same object in exactly one list, none added, none lost.
        expect(placed).toHaveLength(scenario.findings.length);
        expect(new Set(placed)).toEqual(new Set(scenario.findings));
      }),
    );
  });

  // Another suppressing statement, that is: a later `affected` rightly overrides an earlier `not_affected`.
  it('never counts a finding more because of another ignore rule or suppressing VEX statement', () => {
    const suppressing = fc.array(statementArb(SUPPRESSING_STATUSES), { maxLength: 2 });
    fc.assert(
      fc.property(scenarioArb, fc.array(ruleArb, { maxLength: 2 }), suppressing, (scenario, ignore, vex) => {
        const before = run(scenario);
        const after = run(scenario, { ignore, vex });
        const countedBefore = new Set(before.counted);
        expect(after.counted.every((f) => countedBefore.has(f))).toBe(true);
        // The finding rules (failOn, failOnKev) read only what counts, so they can only break less.
        // maxRiskScore is left out on purpose: its average-CVSS term can rise when a low-CVSS finding stops counting.
        const brokenBefore = new Set(before.violations.flatMap((v) => v.findingKeys));
        expect(after.violations.flatMap((v) => v.findingKeys).every((key) => brokenBefore.has(key))).toBe(true);
        if (before.outcome === 'pass') expect(after.outcome).toBe('pass');
      }),
    );
  });
});
