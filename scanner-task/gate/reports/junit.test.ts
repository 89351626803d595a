// The JUnit report as a real JUnit parser reads it: Debian's python3-junitparser (.ci/apt-packages.txt),
// by absolute path because the python3 on PATH may be a build without Debian's packages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GateInput, Verdict } from '../gate-types.ts';
import { toJunit } from './junit.ts';
import { curl, failingVerdict, gateInput, openssl, nghttp2, passingVerdict, policyRules, zlib } from './testdata/gate-fixture.ts';

interface ParsedSuite {
  name: string;
  declared: { tests: number; failures: number; skipped: number; errors: number };
  counted: { tests: number; failures: number; skipped: number };
  properties: Record<string, string>;
  cases: Array<{ classname: string; name: string; results: Array<{ tag: string; message: string | null; type: string | null; text: string | null }> }>;
}

const PARSE = `
import json, sys
from junitparser import JUnitXml, Failure, Skipped
xml = JUnitXml.fromfile(sys.argv[1])
suites = []
for suite in xml:
    cases = list(suite)
    results = [r for c in cases for r in c.result]
    suites.append({
        'name': suite.name,
        'declared': {'tests': suite.tests, 'failures': suite.failures, 'skipped': suite.skipped, 'errors': suite.errors},
        'counted': {'tests': len(cases), 'failures': sum(isinstance(r, Failure) for r in results), 'skipped': sum(isinstance(r, Skipped) for r in results)},
        'properties': {p.name: p.value for p in suite.properties()},
        'cases': [{'classname': c.classname, 'name': c.name, 'results': [{'tag': r._tag, 'message': r.message, 'type': r.type, 'text': r.text} for r in c.result]} for c in cases],
    })
print(json.dumps({'tests': xml.tests, 'failures': xml.failures, 'skipped': xml.skipped, 'suites': suites}))
`;

const dir = mkdtempSync(join(tmpdir(), 'hg-junit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parse(xml: string): { tests: number; failures: number; skipped: number; suites: ParsedSuite[] } {
  const file = join(dir, 'report.xml');
  writeFileSync(file, xml);
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', PARSE, file], { encoding: 'utf8' })) as ReturnType<typeof parse>;
}

const junitOf = (verdict: Verdict, input: GateInput = gateInput) => parse(toJunit(input, verdict, { rules: policyRules }));

describe('toJunit', () => {
  it('writes one suite for the image, a failing test per finding or check that broke a rule, and correct counts', () => {
    const report = junitOf(failingVerdict);
    expect(report.suites).toHaveLength(1);
    const suite = report.suites[0]!;
    expect(suite.name).toBe('harborguard ci: ghcr.io/acme/payments-api:1.4.2');
    expect(suite.counted).toEqual({ tests: 8, failures: 4, skipped: 2 });
    expect(suite.declared).toEqual({ ...suite.counted, errors: 0 });
    expect({ tests: report.tests, failures: report.failures, skipped: report.skipped }).toEqual(suite.counted);
    expect(suite.cases.map((c) => [c.classname, c.name, c.results.map((r) => r.tag).join()])).toEqual([
      ['failOn', 'CVE-2024-5535 in openssl 3.0.11-1~deb12u2', 'failure'],
      ['failOn', 'CVE-2023-44487 in libnghttp2-14 1.52.0-1', 'failure'],
      ['failOnKev', 'CVE-2023-44487 in libnghttp2-14 1.52.0-1', 'failure'],
      ['maxRiskScore', 'maxRiskScore 70 held', ''],
      ['minGrade', 'minGrade D held', ''],
      ['failOnChecks', 'HG-SECRET-FILES: Secret files in the image', 'failure'],
      ['suppressed', 'CVE-2024-2961 in libc6 2.36-9+deb12u4', 'skipped'],
      ['suppressed', 'CVE-2022-25883 in semver 7.5.1', 'skipped'],
    ]);
  });

  it('says in each failure which rule broke and why', () => {
    const cases = junitOf(failingVerdict).suites[0]!.cases;
    const [opensslFailure] = cases.find((c) => c.name.startsWith(openssl.vulnerabilityId))!.results;
    expect(opensslFailure).toMatchObject({ type: 'failOn', message: '2 findings at or above HIGH (failOn: HIGH)' });
    expect(opensslFailure!.text).toContain('CRITICAL (CVSS 9.1), openssl 3.0.11-1~deb12u2, fixed in 3.0.15-1~deb12u1');
    expect(cases.find((c) => c.classname === 'failOnKev')!.results[0]!.text).toContain('known exploited (CISA KEV)');
    expect(cases.find((c) => c.classname === 'failOnChecks')!.results[0]!.text).toBe('Secret files in the image (FATAL)\n/root/.aws/credentials\n/app/.env');
    expect(cases.find((c) => c.name.startsWith('CVE-2024-2961'))!.results[0]!.message).toBe(
      'suppressed: VEX not_affected: vulnerable_code_not_in_execute_path (vex/payments-api.openvex.json, statement 1)',
    );
  });

  it('shows a passing gate as passing tests, one per rule that held', () => {
    const suite = junitOf(passingVerdict).suites[0]!;
    expect(suite.declared).toEqual({ tests: 7, failures: 0, skipped: 2, errors: 0 });
    expect(suite.cases.filter((c) => c.results.length === 0).map((c) => c.name)).toEqual(policyRules.map((rule) => `${rule} held`));
    expect(suite.cases.filter((c) => c.results.length === 0).map((c) => c.classname)).toEqual([
      'failOn',
      'failOnKev',
      'maxRiskScore',
      'minGrade',
      'failOnChecks',
    ]);
    expect(suite.properties).toMatchObject({ outcome: 'pass', riskScore: '11', digest: gateInput.image.digest });
  });

  it('names a rule over the whole image by its message, and one over all counted findings once', () => {
    const verdict: Verdict = {
      ...failingVerdict,
      violations: [
        {
          rule: 'maxRiskScore',
          message: 'maxRiskScore 40: the risk score of the 4 counted findings is 62',
          findingKeys: failingVerdict.counted.map((f) => f.key),
          checkIds: [],
        },
        { rule: 'minGrade', message: 'minGrade C: the compliance grade is D (score 58)', findingKeys: [], checkIds: [] },
      ],
    };
    const suite = junitOf(verdict).suites[0]!;
    expect(suite.cases.filter((c) => c.classname === 'maxRiskScore')).toEqual([
      {
        classname: 'maxRiskScore',
        name: 'maxRiskScore 40: the risk score of the 4 counted findings is 62',
        results: [
          {
            tag: 'failure',
            type: 'maxRiskScore',
            message: 'maxRiskScore 40: the risk score of the 4 counted findings is 62',
            text: [
              'maxRiskScore 40: the risk score of the 4 counted findings is 62',
              '',
              'CVE-2024-5535: CRITICAL (CVSS 9.1), openssl 3.0.11-1~deb12u2, fixed in 3.0.15-1~deb12u1',
              'CVE-2023-44487: HIGH (CVSS 7.5), known exploited (CISA KEV), libnghttp2-14 1.52.0-1, fixed in 1.52.0-1+deb12u1',
              'CVE-2024-2398: MEDIUM (CVSS 5.9), libcurl4 7.88.1-10+deb12u5, fixed in 7.88.1-10+deb12u6',
              'CVE-2023-45853: LOW, zlib1g 1:1.2.13.dfsg-1, no fix yet',
            ].join('\n'),
          },
        ],
      },
    ]);
    expect(suite.cases.find((c) => c.classname === 'minGrade')).toMatchObject({
      name: 'minGrade C: the compliance grade is D (score 58)',
      results: [{ tag: 'failure', type: 'minGrade' }],
    });
    expect(suite.declared).toEqual({ tests: 7, failures: 2, skipped: 2, errors: 0 });
  });

  it('lists findings left out by newOnly and onlyFixed as skipped, under those settings', () => {
    const verdict: Verdict = { ...failingVerdict, counted: [openssl, nghttp2], inBaseline: [curl], notCountedUnfixed: [zlib] };
    const cases = junitOf(verdict).suites[0]!.cases;
    expect(cases.find((c) => c.classname === 'newOnly')).toEqual({
      classname: 'newOnly',
      name: 'CVE-2024-2398 in libcurl4 7.88.1-10+deb12u5',
      results: [{ tag: 'skipped', type: null, message: 'not counted: already in the baseline (newOnly)', text: null }],
    });
    expect(cases.find((c) => c.classname === 'onlyFixed')).toMatchObject({
      name: 'CVE-2023-45853 in zlib1g 1:1.2.13.dfsg-1',
      results: [{ tag: 'skipped', message: 'not counted: no fix is known (onlyFixed)' }],
    });
  });

  it('escapes markup and replaces characters XML cannot hold, so the report still parses', () => {
    const hostile = {
      ...openssl,
      package: 'evil"<pkg>&\'',
      title: 'bell\u0007 escape\u001b[31m nul\u0000 lone\ud800 ]]> end',
      references: ['https://x.test/?a=1&b=<2>'],
    };
    const input: GateInput = { ...gateInput, image: { reference: 'registry.test/a"b<c>&d' }, findings: [hostile] };
    const verdict: Verdict = {
      ...failingVerdict,
      violations: [{ rule: 'failOn', message: 'line one\nline two\ttabbed "quoted"', findingKeys: [hostile.key], checkIds: [] }],
      counted: [hostile],
      suppressed: [],
    };
    const suite = junitOf(verdict, input).suites[0]!;
    expect(suite.name).toBe('harborguard ci: registry.test/a"b<c>&d');
    const failure = suite.cases[0]!;
    expect(failure.name).toBe(`CVE-2024-5535 in evil"<pkg>&' 3.0.11-1~deb12u2`);
    expect(failure.results[0]!.message).toBe('line one\nline two\ttabbed "quoted"');
    expect(failure.results[0]!.text).toContain('bell\ufffd escape\ufffd[31m nul\ufffd lone\ufffd ]]> end');
    expect(failure.results[0]!.text).toContain('https://x.test/?a=1&b=<2>');
  });
});
