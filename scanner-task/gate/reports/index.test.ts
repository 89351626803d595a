// The list the CLI's --format reads: every name writes its own kind of document from one verdict,
// and a verdict the decision code reached (policy, OpenVEX, ignore rules) reads right in each.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cycloneDx16Validator, sarif210Validator } from '#shared/sbom/testdata/schema-validators.ts';
import type { Policy } from '../policy.ts';
import { decide } from '../verdict.ts';
import { openVexStatements } from '../vex/openvex.ts';
import { GATE_FORMATS } from './index.ts';
import { failingVerdict, gateInput, glibc, openssl, policyRules, semver } from './testdata/gate-fixture.ts';

describe('GATE_FORMATS', () => {
  const options = { toolVersion: '1.2.3', rules: policyRules };
  const written = Object.fromEntries(Object.entries(GATE_FORMATS).map(([name, write]) => [name, write(gateInput, failingVerdict, options)]));

  it('names the formats the CLI offers besides its table', () => {
    expect(Object.keys(GATE_FORMATS)).toEqual(['json', 'sarif', 'junit', 'markdown', 'cyclonedx']);
  });

  it('maps each name to the writer of that format', () => {
    expect(JSON.parse(written.json!)).toMatchObject({ schema: 'harborguard-ci/v1' });
    expect(JSON.parse(written.sarif!)).toMatchObject({ version: '2.1.0', runs: [{ tool: { driver: { version: '1.2.3' } } }] });
    expect(written.junit).toMatch(/^<\?xml [^>]+>\n<testsuites name="harborguard ci"/);
    expect(written.markdown).toMatch(/^## ❌ harborguard ci: FAIL\n/);
    expect(JSON.parse(written.cyclonedx!)).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' });
  });
});

describe('every format from a verdict decide() reached', () => {
  const vexFile = join(import.meta.dirname, 'testdata', 'payments-api.openvex.json');
  const policy: Policy = {
    failOn: 'HIGH',
    failOnKev: true,
    maxRiskScore: 90,
    failOnChecks: ['FATAL'],
    ignore: [
      { vulnerability: semver.aliases[0]!, package: 'semver', reason: 'dev-only dependency, removed in 1.5' },
      { vulnerability: 'CVE-2023-31484', reason: 'perl: waiting on upstream', expires: '2026-06-30' },
    ],
  };
  const verdict = decide(gateInput, policy, {
    vex: openVexStatements(JSON.parse(readFileSync(vexFile, 'utf8')) as Record<string, unknown>, 'payments-api.openvex.json'),
    now: new Date('2026-12-02T00:00:00Z'),
    policySource: '.harborguard.yaml',
  });
  const options = { toolVersion: '1.2.3', rules: ['failOn HIGH', 'failOnKev', 'maxRiskScore 90', 'failOnChecks FATAL'] };

  it('decided what the fixture describes', () => {
    expect(verdict.outcome).toBe('fail');
    expect(verdict.violations.map((v) => v.rule)).toEqual(['failOn', 'failOnKev', 'failOnChecks']);
    expect(verdict.suppressed.map((s) => [s.finding.key, s.suppression.kind])).toEqual(
      expect.arrayContaining([
        [glibc.key, 'vex'],
        [semver.key, 'ignore'],
      ]),
    );
  });

  it('writes valid SARIF and CycloneDX, and every format names the failure and the suppressions', () => {
    const sarif = JSON.parse(GATE_FORMATS.sarif(gateInput, verdict, options));
    const sarifValid = sarif210Validator();
    expect(sarifValid(sarif), JSON.stringify(sarifValid.errors?.slice(0, 3))).toBe(true);
    const suppressedIds = sarif.runs[0].results.filter((r: any) => r.suppressions).map((r: any) => r.ruleId);
    expect(suppressedIds.sort()).toEqual([semver.vulnerabilityId, glibc.vulnerabilityId].sort());

    const bom = JSON.parse(GATE_FORMATS.cyclonedx(gateInput, verdict, options));
    const cdxValid = cycloneDx16Validator();
    expect(cdxValid(bom), JSON.stringify(cdxValid.errors?.slice(0, 3))).toBe(true);
    expect(bom.vulnerabilities.find((v: any) => v.id === glibc.vulnerabilityId).analysis).toMatchObject({
      state: 'not_affected',
      justification: 'code_not_reachable',
    });

    const junit = GATE_FORMATS.junit(gateInput, verdict, options);
    expect(junit).toContain('<testcase classname="maxRiskScore" name="maxRiskScore 90 held"/>');
    expect(junit).toContain(`name="${openssl.vulnerabilityId} in openssl`);

    const markdown = GATE_FORMATS.markdown(gateInput, verdict, options);
    expect(markdown).toContain('These ignore rules have expired');
    expect(markdown).toContain('vulnerable\\_code\\_not\\_in\\_execute\\_path');
  });
});
