// The SARIF report against the official SARIF 2.1.0 schema, and against what GitHub code scanning
// reads from it: security-severity, levels, a physical location, stable fingerprints, suppressions.
import { describe, expect, it } from 'vitest';
import { sarif210Validator } from '#shared/sbom/testdata/schema-validators.ts';
import type { Verdict } from '../gate-types.ts';
import { toSarif } from './sarif.ts';
import { curl, failingVerdict, gateInput, glibc, nghttp2, openssl, semver, zlib } from './testdata/gate-fixture.ts';

interface Log {
  $schema: string;
  version: string;
  runs: Array<{
    tool: { driver: { name: string; version: string; rules: any[] } };
    results: any[];
  }>;
}

const sarifOf = (verdict: Verdict = failingVerdict, input = gateInput) => JSON.parse(toSarif(input, verdict, { toolVersion: '1.2.3' })) as Log;
const resultFor = (log: Log, ruleId: string) => log.runs[0]!.results.find((r) => r.ruleId === ruleId);
const fingerprintsByKey = (log: Log) =>
  Object.fromEntries(
    log.runs[0]!.results.map((r) => [
      `${r.ruleId} ${r.locations[0].logicalLocations[0].fullyQualifiedName}`,
      r.partialFingerprints['harborguard/v1'] as string,
    ]),
  );

describe('toSarif', () => {
  const validate = sarif210Validator();

  it('writes SARIF 2.1.0 that validates against the official schema', () => {
    const log = sarifOf();
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(log.runs).toHaveLength(1);
    expect(log.runs[0]!.tool.driver).toMatchObject({ name: 'harborguard', version: '1.2.3' });
  });

  it('gives each vulnerability one rule with the security-severity GitHub ranks by', () => {
    const rules = sarifOf().runs[0]!.tool.driver.rules;
    const rule = (id: string) => rules.find((r) => r.id === id);
    expect(rule(openssl.vulnerabilityId)).toMatchObject({
      shortDescription: { text: openssl.title },
      defaultConfiguration: { level: 'error' },
      properties: { 'security-severity': '9.1', tags: ['security', 'vulnerability', 'CRITICAL'] },
    });
    // No CVSS: the severity's stand-in score.
    expect(rule(zlib.vulnerabilityId).properties['security-severity']).toBe('2.0');
    expect(rule(zlib.vulnerabilityId).help.text).toContain('zlib1g 1:1.2.13.dfsg-1 (no fix yet)');
    expect(rule(openssl.vulnerabilityId).help.markdown).toContain('| openssl | 3.0.11-1\\~deb12u2 | 3.0.15-1\\~deb12u1 |');
    expect(rule(openssl.vulnerabilityId).help.text).toContain('https://www.openssl.org/news/secadv/20240627.txt');
    // The failing check has its rule too; the passing and informational ones do not.
    expect(rules.map((r) => r.id)).toContain('HG-SECRET-FILES');
    expect(rules.map((r) => r.id)).not.toContain('CIS-DI-0006');
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('writes a result per finding, with its level, a physical location and the image as a logical one', () => {
    const log = sarifOf();
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual([
      openssl.vulnerabilityId,
      nghttp2.vulnerabilityId,
      glibc.vulnerabilityId,
      'CVE-2024-2398',
      semver.vulnerabilityId,
      zlib.vulnerabilityId,
      'CIS-DI-0001',
      'HG-SECRET-FILES',
    ]);
    for (const r of results) expect(log.runs[0]!.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const kev = resultFor(log, nghttp2.vulnerabilityId);
    expect(kev.level).toBe('error');
    expect(kev.message.text).toBe('CVE-2023-44487 in libnghttp2-14 1.52.0-1 (HIGH, CVSS 7.5, known exploited): fixed in 1.52.0-1+deb12u1.');
    expect(kev.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'Dockerfile' }, region: { startLine: 1 } });
    expect(kev.locations[0].logicalLocations[0].fullyQualifiedName).toBe(`ghcr.io/acme/payments-api:1.4.2@${gateInput.image.digest}/libnghttp2-14@1.52.0-1`);
    expect(resultFor(log, 'CVE-2024-2398').level).toBe('warning');
    expect(resultFor(log, zlib.vulnerabilityId).level).toBe('note');
    expect(resultFor(log, zlib.vulnerabilityId).message.text).toContain('no fix yet');
    expect(resultFor(log, 'HG-SECRET-FILES')).toMatchObject({
      level: 'error',
      message: { text: 'Secret files in the image (FATAL): /root/.aws/credentials; /app/.env' },
    });
  });

  it('points results at the file the user names', () => {
    const log = JSON.parse(toSarif(gateInput, failingVerdict, { toolVersion: '1.2.3', locationUri: 'services/payments/Dockerfile' })) as Log;
    expect(validate(log)).toBe(true);
    expect(new Set(log.runs[0]!.results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri))).toEqual(new Set(['services/payments/Dockerfile']));
    const typed = JSON.parse(toSarif(gateInput, failingVerdict, { toolVersion: '1.2.3', locationUri: '.\\docker\\my app\\Dockerfile' })) as Log;
    expect(validate(typed)).toBe(true);
    expect(typed.runs[0]!.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('docker/my%20app/Dockerfile');
  });

  it('marks suppressed findings as accepted external suppressions, with why', () => {
    const log = sarifOf();
    expect(resultFor(log, glibc.vulnerabilityId).suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'VEX not_affected: vulnerable_code_not_in_execute_path (vex/payments-api.openvex.json, statement 1)',
      },
    ]);
    expect(resultFor(log, semver.vulnerabilityId).suppressions[0].justification).toBe(
      'ignored: dev-only dependency, removed in 1.5 (.harborguard.yaml, ignore[0])',
    );
    expect(resultFor(log, openssl.vulnerabilityId).suppressions).toBeUndefined();
  });

  it('keeps findings that do not count as results, so GitHub does not close their alerts', () => {
    const notCounted: Verdict = {
      ...failingVerdict,
      counted: failingVerdict.counted.filter((f) => f !== zlib && f !== curl),
      inBaseline: [curl],
      notCountedUnfixed: [zlib],
    };
    const log = sarifOf(notCounted);
    expect(validate(log)).toBe(true);
    expect(log.runs[0]!.results).toHaveLength(sarifOf().runs[0]!.results.length);
    expect(resultFor(log, curl.vulnerabilityId)).toMatchObject({ level: 'warning', properties: { gateStatus: 'baseline' } });
    expect(resultFor(log, curl.vulnerabilityId).message.text).toMatch(/Not counted: already in the baseline \(newOnly\)\.$/);
    expect(resultFor(log, zlib.vulnerabilityId).message.text).toMatch(/Not counted: no fix is known \(onlyFixed\)\.$/);
    expect(resultFor(log, openssl.vulnerabilityId).properties.gateStatus).toBe('counted');
  });

  it('reports a check that failed the gate as an error whatever its level', () => {
    const input = { ...gateInput, checks: [...gateInput.checks, { id: 'HG-NO-SBOM-LABEL', title: 'No SBOM label', level: 'INFO' as const }] };
    const verdict: Verdict = {
      ...failingVerdict,
      violations: [{ rule: 'failOnChecks', message: 'failOnChecks HG-NO-SBOM-LABEL: 1 check did not pass', findingKeys: [], checkIds: ['HG-NO-SBOM-LABEL'] }],
    };
    const log = sarifOf(verdict, input);
    expect(validate(log)).toBe(true);
    expect(resultFor(log, 'HG-NO-SBOM-LABEL').level).toBe('error');
    expect(resultFor(log, 'CIS-DI-0001').level).toBe('warning');
    // Informational checks that broke nothing are not alerts.
    expect(resultFor(log, 'CIS-DI-0005')).toBeUndefined();
  });

  it('stays within the 25,000 results GitHub accepts in a run, counted findings first, and says what it left out', () => {
    const many = (n: number, severity: 'HIGH' | 'LOW') =>
      Array.from({ length: n }, (_, i) => ({ ...zlib, severity, key: `CVE-2024-${severity}${i}#zlib1g#1`, vulnerabilityId: `CVE-2024-${severity}${i}` }));
    const counted = many(20_000, 'LOW');
    const verdict: Verdict = {
      ...failingVerdict,
      counted,
      suppressed: many(10_000, 'HIGH').map((finding) => ({ finding, suppression: { kind: 'ignore', reason: 'accepted', source: 'policy' } })),
    };
    const run = sarifOf(verdict).runs[0]! as Log['runs'][number] & { invocations: any[] };
    expect(run.results).toHaveLength(25_000);
    expect(run.tool.driver.rules.length).toBeLessThanOrEqual(25_000);
    const kept = new Set(run.results.map((r) => r.ruleId));
    expect(counted.every((f) => kept.has(f.vulnerabilityId))).toBe(true);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toBe(
      '5002 of 30000 findings left out: GitHub rejects a run with more than 25000 results',
    );
    expect(sarifOf().runs[0]).not.toHaveProperty('invocations');
  });

  it('fingerprints a finding by its key alone: equal across runs in another order, distinct between findings', () => {
    const first = fingerprintsByKey(sarifOf());
    const reordered: Verdict = {
      ...failingVerdict,
      counted: [...failingVerdict.counted].reverse(),
      suppressed: [...failingVerdict.suppressed].reverse(),
    };
    const second = fingerprintsByKey(
      sarifOf(reordered, { ...gateInput, findings: [...gateInput.findings].reverse(), checks: [...gateInput.checks].reverse() }),
    );
    expect(second).toEqual(first);
    const values = Object.values(first);
    expect(new Set(values).size).toBe(values.length);
    expect(values.every((v) => /^[0-9a-f]{64}$/.test(v))).toBe(true);
    // And a finding that later gets suppressed keeps its alert.
    const suppressedLater: Verdict = {
      ...failingVerdict,
      counted: failingVerdict.counted.filter((f) => f !== openssl),
      suppressed: [...failingVerdict.suppressed, { finding: openssl, suppression: { kind: 'ignore', reason: 'patched in place', source: 'policy' } }],
    };
    const later = sarifOf(suppressedLater).runs[0]!.results.find((r) => r.ruleId === openssl.vulnerabilityId);
    expect(later.partialFingerprints).toEqual(resultFor(sarifOf(), openssl.vulnerabilityId).partialFingerprints);
  });

  it('prints the same bytes whatever order the findings and checks came in', () => {
    const reordered: Verdict = { ...failingVerdict, counted: [...failingVerdict.counted].reverse(), suppressed: [...failingVerdict.suppressed].reverse() };
    const input = { ...gateInput, findings: [...gateInput.findings].reverse(), checks: [...gateInput.checks].reverse() };
    expect(toSarif(input, reordered, { toolVersion: '1.2.3' })).toBe(toSarif(gateInput, failingVerdict, { toolVersion: '1.2.3' }));
  });
});
