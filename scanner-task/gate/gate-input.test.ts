import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanEnvelopeSchema, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { gateInputFromEnvelope } from './gate-input.ts';

/** The fixture passes the envelope schema, so it is an envelope a scanner could have uploaded. */
const envelope = (): ScanEnvelope =>
  scanEnvelopeSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', 'envelope-duplicate-advisories.json'), 'utf8')));

describe('gateInputFromEnvelope', () => {
  it('merges the advisories of one vulnerability in one package version into one finding, keyed by the CVE', () => {
    const input = gateInputFromEnvelope(envelope(), 'ghcr.io/acme/api:1.4');
    expect(input.findings.map((f) => f.key)).toEqual(['CVE-2023-0001#openssl#3.0.1-1', 'CVE-2023-0001#openssl#3.0.5-1', 'GHSA-zzzz-yyyy-xxxx#lodash#4.17.20']);
    expect(input.findings[0]).toEqual({
      key: 'CVE-2023-0001#openssl#3.0.1-1',
      vulnerabilityId: 'CVE-2023-0001',
      aliases: ['DSA-5000-1', 'GHSA-aaaa-bbbb-cccc'],
      // The highest of each: CRITICAL of HIGH, CRITICAL and MEDIUM; 9.1 of 7.5, none and 9.1.
      severity: 'CRITICAL',
      cvss: 9.1,
      package: 'openssl',
      version: '3.0.1-1',
      packageType: 'deb',
      purl: 'pkg:deb/debian/openssl@3.0.1-1?arch=amd64&distro=debian-12',
      // The first one given, not the last.
      fixedVersion: '3.0.2-1',
      knownExploited: true,
      epss: 0.42,
      layerDigest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
      title: 'OpenSSL X.400 type confusion',
      references: ['https://github.com/advisories/GHSA-aaaa-bbbb-cccc', 'https://nvd.nist.gov/vuln/detail/CVE-2023-0001'],
    });
    expect(input.findings[2]).toMatchObject({ vulnerabilityId: 'GHSA-zzzz-yyyy-xxxx', aliases: [], cvss: null, fixedVersion: null, knownExploited: false });
  });

  it('carries the image, checks and compliance, and reads a scan without `matching` as matched', () => {
    const input = gateInputFromEnvelope(envelope(), 'ghcr.io/acme/api:1.4');
    expect(input.image).toEqual({ reference: 'ghcr.io/acme/api:1.4', digest: `sha256:${'ab'.repeat(32)}` });
    expect(input.checks.map((c) => c.id)).toEqual(['CIS-DI-0001', 'CIS-DI-0005']);
    expect(input.compliance).toEqual({ grade: 'C', score: 75 });
    expect(input.matched).toBe(true);
    const { matching: _matching, compliance: _compliance, checks: _checks, ...older } = envelope();
    expect(gateInputFromEnvelope(older, 'x')).toMatchObject({ matched: true, checks: [], compliance: { grade: null } });
  });

  it('says when the packages were not matched against advisories, and why', () => {
    const detail = 'No advisory snapshot at /var/lib/harborguard/snapshot';
    const input = gateInputFromEnvelope({ ...envelope(), vulnerabilities: [], matching: { status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT', detail } }, 'x');
    expect(input).toMatchObject({ matched: false, matchingDetail: detail, findings: [] });
  });
});
