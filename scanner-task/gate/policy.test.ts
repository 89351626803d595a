import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY_FILE, findDefaultPolicy, loadPolicyFile, parsePolicy, PolicyError } from './policy-file.ts';
import { DEFAULT_POLICY, expiryOf, mergePolicy } from './policy.ts';

const fixture = (name: string) => join(import.meta.dirname, 'testdata', name);
const shown = (name: string) => relative(process.cwd(), fixture(name));

function policyError(load: () => unknown): string {
  try {
    load();
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
  throw new Error('the policy loaded without an error');
}

describe('loadPolicyFile', () => {
  it('reads every setting, severities and grades in any case', () => {
    expect(loadPolicyFile(fixture('policy-full.yaml'))).toEqual({
      failOn: 'HIGH',
      onlyFixed: true,
      failOnKev: true,
      maxRiskScore: 60,
      minGrade: 'C',
      failOnChecks: ['FATAL', 'CIS-DI-0001'],
      newOnly: false,
      ignore: [
        { vulnerability: 'CVE-2023-0001', package: 'openssl*', reason: 'Not reachable; tracked in SEC-123', expires: '2026-06-30' },
        { vulnerability: 'ghsa-xxxx-yyyy-zzzz', purl: 'pkg:npm/*', reason: 'Build-time dependency only', expires: '2026-06-30T12:00:00Z' },
      ],
    });
  });

  it('reads an empty file as an empty policy', () => {
    expect(loadPolicyFile(fixture('policy-empty.yaml'))).toEqual({});
  });

  it.each([
    ['policy-ignore-without-reason.yaml', 'ignore[2].reason: required'],
    ['policy-unknown-key.yaml', 'unknown key "failOnSeverity" (settings: failOn, onlyFixed, failOnKev, maxRiskScore, minGrade, failOnChecks, ignore, newOnly)'],
    ['policy-bad-values.yaml', 'failOn: Invalid option: expected one of "CRITICAL"|"HIGH"|"MEDIUM"|"LOW"|"NONE"'],
    ['policy-impossible-date.yaml', 'ignore[0].expires: expected a date YYYY-MM-DD or an ISO time such as 2025-06-30T12:00:00Z'],
    ['policy-a-list.yaml', 'expected a mapping of policy settings (failOn: HIGH, …)'],
  ])('refuses %s in one line naming the file and the first problem', (name, problem) => {
    expect(policyError(() => loadPolicyFile(fixture(name)))).toBe(`${shown(name)}: ${problem}`);
  });

  it('refuses a file that is not YAML, or is missing, in one line', () => {
    const notYaml = policyError(() => loadPolicyFile(fixture('policy-not-yaml.yaml')));
    expect(notYaml).toMatch(new RegExp(`^${shown('policy-not-yaml.yaml')}: not valid YAML: .*line 4`));
    expect(notYaml).not.toContain('\n');
    expect(policyError(() => loadPolicyFile(fixture('no-such-policy.yaml')))).toBe(`${shown('no-such-policy.yaml')}: no such file`);
  });

  it('names an unknown key of an ignore rule by its path', () => {
    expect(policyError(() => parsePolicy({ ignore: [{ vulnerability: 'CVE-1', reason: 'r', until: '2026-01-01' }] }, 'flags'))).toBe(
      'flags: ignore[0]: unknown key "until"',
    );
  });

  it('tells a wrong type from a missing setting', () => {
    expect(policyError(() => parsePolicy({ onlyFixed: 'yes' }, 'p'))).toBe('p: onlyFixed: Invalid input: expected boolean, received string');
  });

  it('refuses PASS as a level to fail on, and a risk score beyond 100', () => {
    expect(policyError(() => parsePolicy({ failOnChecks: ['pass'] }, 'p'))).toBe(
      'p: failOnChecks[0]: PASS is the level of a check that held; list FATAL, WARN, INFO or check ids',
    );
    expect(policyError(() => parsePolicy({ maxRiskScore: 101 }, 'p'))).toMatch(/^p: maxRiskScore: Too big/);
  });
});

describe('findDefaultPolicy', () => {
  it('finds .harborguard.yaml in the folder, and nothing where there is none', () => {
    const folder = mkdtempSync(join(tmpdir(), 'gate-policy-'));
    expect(findDefaultPolicy(folder)).toBeUndefined();
    writeFileSync(join(folder, DEFAULT_POLICY_FILE), 'failOn: LOW\n');
    expect(findDefaultPolicy(folder)).toBe(join(folder, DEFAULT_POLICY_FILE));
    expect(loadPolicyFile(findDefaultPolicy(folder)!)).toEqual({ failOn: 'LOW' });
  });
});

describe('mergePolicy', () => {
  it('starts from the default (fail on CRITICAL)', () => {
    expect(DEFAULT_POLICY).toEqual({ failOn: 'CRITICAL' });
    expect(mergePolicy(undefined)).toEqual({ failOn: 'CRITICAL' });
    expect(mergePolicy({ minGrade: 'B' })).toEqual({ failOn: 'CRITICAL', minGrade: 'B' });
  });

  it('lets the file override the default and the flags override the file; unset flags change nothing', () => {
    const file = { failOn: 'HIGH' as const, failOnKev: true, ignore: [{ vulnerability: 'CVE-1', reason: 'r' }] };
    expect(mergePolicy(file, { failOn: 'NONE', failOnKev: undefined, onlyFixed: true })).toEqual({
      failOn: 'NONE',
      failOnKev: true,
      onlyFixed: true,
      ignore: [{ vulnerability: 'CVE-1', reason: 'r' }],
    });
  });
});

describe('expiryOf', () => {
  it('keeps a date in force through its whole day (UTC), a time exactly until then', () => {
    expect(expiryOf('2026-06-30')?.toISOString()).toBe('2026-07-01T00:00:00.000Z');
    expect(expiryOf('2026-06-30T12:00:00+02:00')?.toISOString()).toBe('2026-06-30T10:00:00.000Z');
    expect(expiryOf('2026-02-30')).toBeNull();
  });
});
