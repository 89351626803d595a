import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GateFinding, GateInput, Verdict } from './gate-types.ts';
import { mergePolicy, type Policy } from './policy.ts';
import { policyRules } from './rules.ts';
import { curl, express, finding, gateInput, git, openssl, zlib } from './testdata/gate-fixtures.ts';
import { decide, summaryLine, type DecideOptions } from './verdict.ts';
import { loadVex } from './vex/vex.ts';

const NOW = new Date('2026-03-15T12:00:00Z');
const options = (more: Partial<DecideOptions> = {}): DecideOptions => ({ vex: [], now: NOW, ...more });
const vexFixture = (name: string) => loadVex(join(import.meta.dirname, 'testdata', name));
/** As the CLI decides: the policy over the defaults (fail on CRITICAL unless it says otherwise). */
const gate = (input: GateInput, policy: Policy, opts: DecideOptions) => decide(input, mergePolicy(policy), opts);
const keys = (findings: readonly GateFinding[]) => findings.map((f) => f.key);
const suppressedKeys = (verdict: Verdict) => verdict.suppressed.map((s) => s.finding.key);

describe('the default policy', () => {
  it('fails on a CRITICAL finding and passes HIGH ones', () => {
    expect(gate(gateInput([openssl, curl]), {}, options())).toMatchObject({ outcome: 'fail', violations: [{ rule: 'failOn', findingKeys: [openssl.key] }] });
    expect(gate(gateInput([curl, zlib]), {}, options()).outcome).toBe('pass');
  });
});

describe('failOn', () => {
  it('fails on each counted finding at or above the threshold, naming the first three', () => {
    const findings = [openssl, curl, express, finding('CVE-2024-9999', 'libxml2', '2.9.14', { severity: 'HIGH' }), git, zlib];
    const verdict = gate(gateInput(findings), { failOn: 'HIGH' }, options());
    expect(verdict.outcome).toBe('fail');
    expect(verdict.violations).toEqual([
      {
        rule: 'failOn',
        message:
          'failOn HIGH: 4 findings at HIGH or above (CVE-2024-0727 in openssl 3.0.11-1~deb12u2, CVE-2023-38545 in curl 7.88.1-10, CVE-2022-24999 in qs 6.7.0 and 1 more)',
        findingKeys: [openssl.key, curl.key, express.key, 'CVE-2024-9999#libxml2#2.9.14'],
        checkIds: [],
        summary: 'failOn HIGH broken by 4 findings',
      },
    ]);
  });

  it('passes when nothing reaches the threshold, and NONE turns the gate off', () => {
    expect(gate(gateInput([git, zlib]), { failOn: 'HIGH' }, options()).outcome).toBe('pass');
    expect(gate(gateInput([zlib]), { failOn: 'LOW' }, options()).outcome).toBe('fail');
    expect(gate(gateInput([openssl]), { failOn: 'NONE' }, options()).outcome).toBe('pass');
  });
});

describe('onlyFixed', () => {
  it('does not count a finding without a fix, and says so apart from suppression', () => {
    const critical = finding('CVE-2024-1111', 'glibc', '2.36-9', { severity: 'CRITICAL', fixedVersion: null });
    const verdict = gate(gateInput([critical, zlib]), { failOn: 'LOW', onlyFixed: true }, options());
    expect(verdict).toMatchObject({ outcome: 'pass', counted: [], suppressed: [] });
    expect(keys(verdict.notCountedUnfixed ?? [])).toEqual([critical.key, zlib.key]);
    expect(gate(gateInput([critical, openssl]), { failOn: 'CRITICAL', onlyFixed: true }, options()).violations[0]?.findingKeys).toEqual([openssl.key]);
  });
});

describe('failOnKev', () => {
  it("fails on a counted finding in CISA's KEV catalog, whatever its severity", () => {
    const kevLow = finding('CVE-2021-44228', 'log4j', '2.14.1', { severity: 'LOW', knownExploited: true });
    const verdict = gate(gateInput([kevLow, zlib]), { failOn: 'NONE', failOnKev: true }, options());
    expect(verdict.violations).toEqual([
      {
        rule: 'failOnKev',
        message: "failOnKev: 1 finding in CISA's Known Exploited Vulnerabilities catalog (CVE-2021-44228 in log4j 2.14.1)",
        findingKeys: [kevLow.key],
        checkIds: [],
        summary: 'failOnKev broken by 1 finding',
      },
    ]);
    expect(gate(gateInput([zlib]), { failOn: 'NONE', failOnKev: true }, options()).outcome).toBe('pass');
    expect(gate(gateInput([kevLow]), { failOn: 'NONE' }, options()).outcome).toBe('pass');
  });
});

describe('maxRiskScore', () => {
  it('fails when the risk score over the counted findings is above it, and only then', () => {
    // HIGH 10 + MEDIUM 3 + 5 × average CVSS (8.8 + 5.5) / 2 = 13 + 35.75 → 49.
    const verdict = gate(gateInput([curl, git]), { failOn: 'NONE', maxRiskScore: 40 }, options());
    expect(verdict.riskScore).toBe(49);
    expect(verdict.violations).toMatchObject([
      { rule: 'maxRiskScore', message: 'maxRiskScore 40: the risk score of the 2 counted findings is 49', summary: 'maxRiskScore 40 broken by risk score 49' },
    ]);
    expect(gate(gateInput([curl, git]), { failOn: 'NONE', maxRiskScore: 49 }, options()).outcome).toBe('pass');
  });

  it('scores only what counts: a suppressed finding adds nothing', () => {
    const policy: Policy = { failOn: 'NONE', maxRiskScore: 40, ignore: [{ vulnerability: curl.vulnerabilityId, reason: 'not shipped' }] };
    const verdict = gate(gateInput([curl, git]), policy, options());
    expect(verdict).toMatchObject({ outcome: 'pass', riskScore: 31 }); // 3 + 5 × 5.5 = 30.5
  });
});

describe('minGrade', () => {
  it('fails on a grade worse than it, and on no grade at all', () => {
    const graded = (grade: 'A' | 'C' | 'D') => gateInput([], { compliance: { grade, score: 62.5 } });
    expect(gate(graded('D'), { minGrade: 'C' }, options()).violations).toEqual([
      {
        rule: 'minGrade',
        message: 'minGrade C: the compliance grade is D (score 62.5)',
        findingKeys: [],
        checkIds: [],
        summary: 'minGrade C broken by grade D',
      },
    ]);
    expect(gate(graded('C'), { minGrade: 'C' }, options()).outcome).toBe('pass');
    expect(gate(graded('A'), { minGrade: 'C' }, options()).outcome).toBe('pass');
    expect(gate(gateInput([], { compliance: { grade: null } }), { minGrade: 'C' }, options()).violations[0]?.message).toBe(
      'minGrade C: the scan has no compliance grade (no checks ran)',
    );
  });
});

describe('failOnChecks', () => {
  const checks = [
    { id: 'CIS-DI-0010', title: 'Do not store credential in environment variables/files', level: 'FATAL' as const },
    { id: 'CIS-DI-0001', title: 'Create a user for the container', level: 'WARN' as const },
    { id: 'CIS-DI-0006', title: 'Add HEALTHCHECK instruction to the container image', level: 'WARN' as const },
    { id: 'CIS-DI-0005', title: 'Enable Content trust for Docker', level: 'PASS' as const },
  ];

  it('fails on a check that did not pass whose level or id is listed', () => {
    const verdict = gate(gateInput([], { checks }), { failOn: 'NONE', failOnChecks: ['FATAL', 'cis-di-0001', 'CIS-DI-0005'] }, options());
    expect(verdict.violations).toEqual([
      {
        rule: 'failOnChecks',
        message:
          'failOnChecks FATAL, cis-di-0001, CIS-DI-0005: 2 checks did not pass (CIS-DI-0010 FATAL "Do not store credential in environment variables/files", CIS-DI-0001 WARN "Create a user for the container")',
        findingKeys: [],
        checkIds: ['CIS-DI-0010', 'CIS-DI-0001'],
        summary: 'failOnChecks broken by 2 checks',
      },
    ]);
  });

  it('passes when the listed checks passed or are not there', () => {
    expect(gate(gateInput([], { checks }), { failOn: 'NONE', failOnChecks: ['CIS-DI-0005', 'DKL-DI-0001'] }, options()).outcome).toBe('pass');
    expect(gate(gateInput([], { checks: checks.filter((c) => c.level !== 'FATAL') }), { failOn: 'NONE', failOnChecks: ['FATAL'] }, options()).outcome).toBe(
      'pass',
    );
  });
});

describe('ignore rules', () => {
  const rule = (fields: Partial<NonNullable<Policy['ignore']>[number]>) => ({
    vulnerability: openssl.vulnerabilityId,
    reason: 'PKCS12 is never parsed',
    ...fields,
  });

  it('suppress a finding by its id or any alias in any case, and say which rule and why', () => {
    for (const vulnerability of ['CVE-2024-0727', 'cve-2024-0727', 'dsa-5678-1']) {
      const verdict = gate(gateInput([openssl]), { ignore: [rule({ vulnerability })] }, options({ policySource: '.harborguard.yaml' }));
      expect(verdict).toMatchObject({ outcome: 'pass', counted: [] });
      expect(verdict.suppressed).toEqual([
        { finding: openssl, suppression: { kind: 'ignore', reason: 'PKCS12 is never parsed', source: '.harborguard.yaml ignore[0]' } },
      ]);
    }
    expect(gate(gateInput([openssl]), { ignore: [rule({ vulnerability: 'CVE-2024-0728' })] }, options()).outcome).toBe('fail');
  });

  it('narrow by package and purl globs', () => {
    const outcome = (fields: Partial<NonNullable<Policy['ignore']>[number]>) => gate(gateInput([openssl]), { ignore: [rule(fields)] }, options()).outcome;
    expect(outcome({ package: 'openssl' })).toBe('pass');
    expect(outcome({ package: 'open*' })).toBe('pass');
    expect(outcome({ package: 'libssl*' })).toBe('fail');
    expect(outcome({ purl: 'pkg:deb/debian/openssl@*' })).toBe('pass');
    expect(outcome({ purl: 'pkg:rpm/*' })).toBe('fail');
    // A glob is not a regular expression: `.` is a dot.
    expect(outcome({ package: 'open.sl' })).toBe('fail');
    expect(gate(gateInput([{ ...openssl, purl: undefined }]), { ignore: [rule({ purl: '*' })] }, options()).outcome).toBe('fail');
  });

  it('stop applying once expired, a date lasting through its day, and the verdict lists them', () => {
    const expiring = (expires: string) => gate(gateInput([openssl]), { ignore: [rule({ expires })] }, options());
    expect(expiring('2026-03-15')).toMatchObject({ outcome: 'pass', expiredIgnores: [] });
    expect(expiring('2026-03-15T12:00:01Z')).toMatchObject({ outcome: 'pass', expiredIgnores: [] });
    expect(expiring('2026-03-15T12:00:00Z')).toMatchObject({ outcome: 'fail' });
    const expired = expiring('2026-03-14');
    expect(expired).toMatchObject({ outcome: 'fail', suppressed: [] });
    expect(expired.expiredIgnores).toEqual([{ vulnerability: 'CVE-2024-0727', reason: 'PKCS12 is never parsed', expires: '2026-03-14' }]);
  });

  it("win over VEX: the team's own rule is the one the output names", () => {
    const verdict = gate(gateInput([openssl]), { ignore: [rule({})] }, options({ vex: vexFixture('cyclonedx-vex-bom-refs.json') }));
    expect(verdict.suppressed[0]?.suppression.kind).toBe('ignore');
  });
});

describe('VEX', () => {
  it('suppresses with not_affected and fixed, by purl ignoring qualifiers, and keeps the justification and source', () => {
    const verdict = gate(gateInput([openssl, curl]), { failOn: 'HIGH' }, options({ vex: vexFixture('cyclonedx-vex-bom-refs.json') }));
    expect(verdict.suppressed).toEqual([
      {
        finding: openssl,
        suppression: {
          kind: 'vex',
          reason: 'not_affected',
          justification: 'code_not_reachable',
          source: 'scanner-task/gate/testdata/cyclonedx-vex-bom-refs.json#0',
        },
      },
    ]);
    expect(keys(verdict.counted)).toEqual([curl.key]);
  });

  it('matches through aliases on either side', () => {
    // The finding knows it as GHSA-…, the statement as CVE-… with the GHSA among its aliases.
    const byGhsa = { ...git, vulnerabilityId: 'GHSA-xxxx-git1-0001', aliases: [], key: 'GHSA-xxxx-git1-0001#git#2.39.0-r1' };
    expect(suppressedKeys(gate(gateInput([byGhsa]), {}, options({ vex: vexFixture('openvex-wolfi-git-fixed.json') })))).toEqual([byGhsa.key]);
    // The finding lists the statement's id as an alias.
    const byAlias = { ...openssl, vulnerabilityId: 'DSA-5678-1', aliases: ['CVE-2024-0727'], key: 'DSA-5678-1#openssl#x' };
    expect(suppressedKeys(gate(gateInput([byAlias]), {}, options({ vex: vexFixture('cyclonedx-vex-purl-refs.json') })))).toEqual([byAlias.key]);
  });

  it('covers only the version a product purl names', () => {
    const newerGit = { ...git, version: '2.40.0-r0', purl: 'pkg:apk/wolfi/git@2.40.0-r0?arch=x86_64', key: 'CVE-2023-22490#git#2.40.0-r0' };
    const verdict = gate(gateInput([git, newerGit]), {}, options({ vex: vexFixture('openvex-wolfi-git-fixed.json') }));
    expect(suppressedKeys(verdict)).toEqual([git.key]);
    expect(keys(verdict.counted)).toEqual([newerGit.key]);
  });

  it('reads an image product: its listed subcomponents, or the whole image, and only for that image', () => {
    const rapidReset = finding('CVE-2023-44487', 'golang.org/x/net', '0.7.0', { severity: 'HIGH', purl: 'pkg:golang/golang.org/x/net@0.7.0' });
    const expressItself = finding('CVE-2022-24999', 'express', '4.17.1', { purl: 'pkg:npm/express@4.17.1' });
    const lodash = finding('CVE-2022-24999', 'lodash', '4.17.20', { purl: 'pkg:npm/lodash@4.17.20' });
    const vex = vexFixture('openvex-image-subcomponents.json');
    const verdict = gate(gateInput([express, expressItself, lodash, rapidReset]), {}, options({ vex }));
    expect(suppressedKeys(verdict)).toEqual([express.key, expressItself.key, rapidReset.key]);
    expect(verdict.suppressed[2]?.suppression.justification).toMatch(/HTTP\/1\.1 only/);
    const otherImage = gateInput([express, rapidReset], { image: { reference: 'ghcr.io/acme/web:1.4', digest: `sha256:${'cd'.repeat(32)}` } });
    expect(gate(otherImage, {}, options({ vex })).suppressed).toEqual([]);
  });

  it('lets the latest statement on a finding decide, whatever the order', () => {
    const pkcs12 = { ...openssl, purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64' };
    const verdict = gate(
      gateInput([pkcs12, { ...pkcs12, vulnerabilityId: 'CVE-2024-2511', aliases: [], key: 'k2' }]),
      {},
      options({ vex: vexFixture('openvex-later-statement-wins.json') }),
    );
    // CVE-2024-0727: affected (May) after not_affected (March); CVE-2024-2511: not_affected (April) after under_investigation (March).
    expect(keys(verdict.counted)).toEqual([pkcs12.key]);
    expect(suppressedKeys(verdict)).toEqual(['k2']);
    // Across documents too: the CycloneDX document's not_affected (June) is later than the OpenVEX affected (May), in either order.
    const openVex = vexFixture('openvex-later-statement-wins.json');
    const cycloneDx = vexFixture('cyclonedx-vex-purl-refs.json');
    expect(suppressedKeys(gate(gateInput([pkcs12]), {}, options({ vex: [...openVex, ...cycloneDx] })))).toEqual([pkcs12.key]);
    expect(suppressedKeys(gate(gateInput([pkcs12]), {}, options({ vex: [...cycloneDx, ...openVex] })))).toEqual([pkcs12.key]);
  });

  it('keeps affected, exploitable, under_investigation and in_triage findings counted', () => {
    const rapidReset = finding('CVE-2023-44487', 'golang.org/x/net', '0.7.0', { severity: 'CRITICAL', purl: 'pkg:golang/golang.org/x/net@0.7.0' });
    const qs = { ...express, severity: 'CRITICAL' as const };
    const vex = [...vexFixture('cyclonedx-vex-bom-refs.json'), ...vexFixture('cyclonedx-vex-purl-refs.json')];
    const verdict = gate(gateInput([rapidReset, qs]), {}, options({ vex }));
    expect(verdict).toMatchObject({ outcome: 'fail', suppressed: [] });
  });
});

describe('server triage', () => {
  it("suppresses WONT_FIX (with the triager's note) and not FIXED: a finding still reported was not fixed in this image", () => {
    const wontFix = { ...openssl, triage: { status: 'WONT_FIX', note: 'Vendor image; replaced in Q3', updatedBy: 'ana@acme.example' } };
    const fixed = { ...curl, severity: 'CRITICAL' as const, triage: { status: 'FIXED' } };
    const verdict = gate(gateInput([wontFix, fixed]), {}, options());
    expect(verdict.suppressed).toEqual([
      {
        finding: wontFix,
        suppression: { kind: 'triage', reason: 'WONT_FIX', justification: 'Vendor image; replaced in Q3', source: 'triage by ana@acme.example' },
      },
    ]);
    expect(verdict.violations[0]?.findingKeys).toEqual([curl.key]);
  });
});

describe('newOnly', () => {
  const baseline = gateInput([openssl, zlib]);

  it('counts only the findings the baseline lacks', () => {
    const verdict = gate(gateInput([openssl, curl, zlib]), { failOn: 'HIGH', newOnly: true }, options({ baseline }));
    expect(keys(verdict.inBaseline)).toEqual([openssl.key, zlib.key]);
    expect(keys(verdict.counted)).toEqual([curl.key]);
    expect(verdict.violations[0]?.findingKeys).toEqual([curl.key]);
    expect(gate(gateInput([openssl, zlib]), { failOn: 'HIGH', newOnly: true }, options({ baseline })).outcome).toBe('pass');
  });

  it('counts everything without a baseline (failing closed), or when newOnly is off', () => {
    expect(gate(gateInput([openssl]), { newOnly: true }, options()).outcome).toBe('fail');
    expect(gate(gateInput([openssl]), { newOnly: false }, options({ baseline })).inBaseline).toEqual([]);
  });

  it('suppresses before comparing: a suppressed finding is suppressed, not in the baseline', () => {
    const verdict = gate(gateInput([openssl]), { newOnly: true, ignore: [{ vulnerability: openssl.vulnerabilityId, reason: 'r' }] }, options({ baseline }));
    expect(verdict).toMatchObject({ inBaseline: [], counted: [] });
    expect(suppressedKeys(verdict)).toEqual([openssl.key]);
  });
});

describe('an image not matched against advisories', () => {
  const unmatched = gateInput([], { matched: false, matchingDetail: 'no advisory snapshot was available' });

  it('cannot pass a vulnerability rule: no finding is no evidence', () => {
    const verdict = gate(unmatched, { failOnKev: true }, options());
    expect(verdict).toMatchObject({ outcome: 'fail', riskScore: null });
    expect(verdict.violations).toEqual([
      {
        rule: 'notMatched',
        message:
          'notMatched: the image was not matched against advisories (no advisory snapshot was available), so finding nothing proves nothing; failOn CRITICAL, failOnKev cannot pass',
        findingKeys: [],
        checkIds: [],
        summary: 'the image was not matched against advisories',
      },
    ]);
  });

  it('is judged as usual by a policy with no vulnerability rule', () => {
    expect(gate(unmatched, { failOn: 'NONE', minGrade: 'B' }, options())).toMatchObject({ outcome: 'pass', violations: [] });
  });
});

describe('policyRules', () => {
  it('lists the rules a policy sets, as violations name them, for reports to show the ones that held', () => {
    expect(policyRules(mergePolicy({}))).toEqual(['failOn']);
    expect(policyRules({ failOn: 'NONE', failOnKev: true, maxRiskScore: 50, minGrade: 'B', failOnChecks: ['FATAL'] })).toEqual([
      'failOnKev',
      'maxRiskScore',
      'minGrade',
      'failOnChecks',
    ]);
    expect(policyRules({ failOn: 'NONE', failOnChecks: [] })).toEqual([]);
  });
});

describe('summaryLine', () => {
  it('joins what failed', () => {
    const kevLow = finding('CVE-2021-44228', 'log4j', '2.14.1', { severity: 'HIGH', knownExploited: true });
    const verdict = gate(gateInput([openssl, curl, kevLow]), { failOn: 'HIGH', failOnKev: true }, options());
    expect(summaryLine(verdict)).toBe('FAIL: failOn HIGH broken by 3 findings; failOnKev broken by 2 findings');
  });

  it('says what passed and what was left out', () => {
    const policy: Policy = {
      failOn: 'CRITICAL',
      newOnly: true,
      onlyFixed: true,
      ignore: [
        { vulnerability: curl.vulnerabilityId, reason: 'r' },
        { vulnerability: 'CVE-1', reason: 'r', expires: '2026-01-01' },
      ],
    };
    const verdict = gate(gateInput([curl, git, zlib, express]), policy, options({ baseline: gateInput([express]) }));
    expect(summaryLine(verdict)).toBe(
      'PASS: no policy rule broken; 1 finding counted, 1 suppressed, 1 in the baseline, 1 without a fix not counted, risk score 31, 1 ignore rule expired',
    );
  });
});
