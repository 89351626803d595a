// The job summary as a person reads it, as GitHub's table syntax splits it, and within the 1 MiB a
// step summary may hold.
import { describe, expect, it } from 'vitest';
import type { GateFinding, GateInput, Verdict } from '../gate-types.ts';
import { toMarkdown } from './markdown.ts';
import { curl, failingVerdict, gateInput, openssl, passingVerdict, zlib } from './testdata/gate-fixture.ts';

/** The cells of a table row as GFM splits it: at pipes no backslash escapes. */
const cells = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1);
const rowOf = (md: string, needle: string): string => md.split('\n').find((line) => line.startsWith('|') && line.includes(needle))!;

describe('toMarkdown', () => {
  const md = toMarkdown(gateInput, failingVerdict);

  it('opens with the outcome, the image, the scan, the risk score and grade', () => {
    expect(md.split('\n')[0]).toBe('## ❌ harborguard ci: FAIL');
    expect(md).toContain(`**Image:** ghcr.io/acme/payments-api:1.4.2 (${gateInput.image.digest})`);
    expect(md).toContain('**Scan:** [scn-3kp9q1](https://harborguard.example.com/scans/scn-3kp9q1)');
    expect(md).toContain('**Risk score:** 62 · **Compliance grade:** D (58/100)');
  });

  it('counts the counted findings by severity', () => {
    const lines = md.split('\n');
    const header = lines.indexOf('| CRITICAL | HIGH | MEDIUM | LOW | INFO |');
    expect(header).toBeGreaterThan(0);
    expect(lines[header + 2]).toBe('| 1 | 1 | 1 | 1 | 0 |');
    expect(md).toContain('4 counted findings (not counted: 2 suppressed).');
  });

  it('lists what failed, the expired ignore rules, the worst findings and the suppressed ones with why', () => {
    expect(md).toContain('### What failed\n\n- **failOn**: 2 findings at or above HIGH (failOn: HIGH)\n- **failOnKev**: 1 finding in CISA KEV (failOnKev)\n');
    expect(md).toContain(
      '> [!WARNING]\n> These ignore rules have expired and no longer apply:\n> - CVE-2023-31484 (expired 2026-06-30): perl: waiting on upstream',
    );
    const top = md.slice(md.indexOf('### Top findings'), md.indexOf('### Suppressed'));
    expect(top.match(/CVE-\d+-\d+\]/g)).toEqual(['CVE-2024-5535]', 'CVE-2023-44487]', 'CVE-2024-2398]', 'CVE-2023-45853]']);
    expect(rowOf(top, 'CVE-2024-5535')).toBe(
      '| CRITICAL | [CVE-2024-5535](https://nvd.nist.gov/vuln/detail/CVE-2024-5535) | openssl | 3.0.11-1\\~deb12u2 | 3.0.15-1\\~deb12u1 |',
    );
    expect(rowOf(top, 'CVE-2023-44487')).toContain('(KEV)');
    expect(cells(rowOf(top, 'CVE-2023-45853'))[4]).toBe(' _no fix yet_ ');
    const suppressed = md.slice(md.indexOf('### Suppressed (2)'));
    expect(cells(rowOf(suppressed, 'CVE-2024-2961')).slice(4)).toEqual([
      ' vex: not\\_affected (vulnerable\\_code\\_not\\_in\\_execute\\_path) ',
      ' vex/payments-api.openvex.json, statement 1 ',
    ]);
    expect(cells(rowOf(suppressed, 'CVE-2022-25883'))[4]).toBe(' ignore: dev-only dependency, removed in 1.5 ');
  });

  it('counts what newOnly and onlyFixed left out', () => {
    const out = toMarkdown(gateInput, { ...failingVerdict, counted: [openssl], inBaseline: [curl], notCountedUnfixed: [zlib] });
    expect(out).toContain('1 counted finding (not counted: 2 suppressed, 1 already in the baseline, 1 without a known fix).');
  });

  it('says PASS when the gate passed, with nothing under what failed', () => {
    const passed = toMarkdown(gateInput, passingVerdict);
    expect(passed.split('\n')[0]).toBe('## ✅ harborguard ci: PASS');
    expect(passed).not.toContain('What failed');
    expect(passed).not.toContain('expired');
  });

  it('warns when nothing was matched against advisories', () => {
    const unmatched = toMarkdown({ ...gateInput, matched: false, matchingDetail: 'no advisory snapshot' }, { ...passingVerdict, counted: [], riskScore: null });
    expect(unmatched).toContain('**Risk score:** none (not matched against advisories)');
    expect(unmatched).toContain('> Packages were not matched against advisories: no advisory snapshot. No finding here is no evidence.');
  });

  it('keeps values as text: no cell break, emphasis, code, HTML or link out of a package name or reference', () => {
    const hostile: GateFinding = {
      ...openssl,
      package: 'a|b*c*_d_`e`<script>alert(1)</script>[x](javascript:alert(1))',
      version: '1.0\n| injected | row |',
      references: ['https://evil.test/a)[b](c<d>|e'],
    };
    const out = toMarkdown({ ...gateInput, image: { reference: 'img|<b>' } }, { ...failingVerdict, counted: [hostile], suppressed: [] });
    const row = rowOf(out.slice(out.indexOf('### Top findings')), 'script');
    expect(cells(row)).toHaveLength(5);
    expect(row).toContain('a\\|b\\*c\\*\\_d\\_\\`e\\`\\<script\\>alert(1)\\</script\\>\\[x\\](javascript:alert(1))');
    expect(cells(row)[1]).toBe(' [CVE-2024-5535](https://evil.test/a%29[b]%28c%3Cd%3E%7Ce) ');
    expect(out).not.toMatch(/(?<!\\)<script/);
    expect(out).not.toContain('| injected |');
    expect(out).toContain('**Image:** img\\|\\<b\\>');
    // Not an http(s) URL: the id stays plain text.
    const notALink = toMarkdown(gateInput, { ...failingVerdict, counted: [{ ...openssl, references: ['javascript:alert(1)'] }] });
    expect(rowOf(notALink, 'CVE-2024-5535')).toContain('| CRITICAL | CVE-2024-5535 |');
  });

  it('stays below GitHub’s 1 MiB step-summary limit for an image with 100,000 findings', () => {
    const long = '漢|*'.repeat(700);
    const findings = Array.from({ length: 100_000 }, (_, i): GateFinding => ({
      ...openssl,
      key: `CVE-2024-${i}#${long}#1`,
      vulnerabilityId: `CVE-2024-${i}`,
      package: long,
      version: long,
      fixedVersion: long,
      references: [`https://example.test/${'a'.repeat(2000)}`],
    }));
    const verdict: Verdict = {
      ...failingVerdict,
      violations: Array.from({ length: 1000 }, (_, i) => ({ rule: `rule${i}${long}`, message: long, findingKeys: [], checkIds: [] })),
      counted: findings.slice(0, 60_000),
      suppressed: findings.slice(60_000).map((finding) => ({ finding, suppression: { kind: 'ignore', reason: long, justification: long, source: long } })),
      expiredIgnores: Array.from({ length: 1000 }, () => ({ vulnerability: long, reason: long, expires: long })),
    };
    const input: GateInput = { ...gateInput, image: { reference: long, digest: long } };
    const out = toMarkdown(input, verdict);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThan(1024 * 1024);
    expect(out).toContain('_and 59980 more_');
    expect(out).toContain('_and 39950 more_');
    expect(out).toContain('_and 950 more_');
    expect(out).toContain('> - _and 980 more_');
  });
});
