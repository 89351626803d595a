// Findings and inputs for the verdict's tests, built by scenario: only what a test is about is spelled out.
import type { GateFinding, GateInput } from '../gate-types.ts';

export const IMAGE_DIGEST = `sha256:${'ab'.repeat(32)}`;

export function finding(vulnerabilityId: string, pkg: string, version: string, fields: Partial<GateFinding> = {}): GateFinding {
  return {
    key: `${vulnerabilityId}#${pkg}#${version}`,
    vulnerabilityId,
    aliases: [],
    severity: 'MEDIUM',
    cvss: null,
    package: pkg,
    version,
    fixedVersion: null,
    knownExploited: false,
    references: [],
    ...fields,
  };
}

export function gateInput(findings: GateFinding[], fields: Partial<GateInput> = {}): GateInput {
  return {
    image: { reference: 'ghcr.io/acme/api:1.4', digest: IMAGE_DIGEST },
    findings,
    checks: [],
    compliance: { grade: 'A', score: 95 },
    matched: true,
    ...fields,
  };
}

/** The realistic image: openssl CRITICAL with a fix, zlib LOW without one, a KEV curl, express (npm), git (apk). */
export const openssl = finding('CVE-2024-0727', 'openssl', '3.0.11-1~deb12u2', {
  aliases: ['DSA-5678-1'],
  severity: 'CRITICAL',
  cvss: 9.8,
  fixedVersion: '3.0.13-1~deb12u1',
  purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
});
export const zlib = finding('CVE-2023-45853', 'zlib1g', '1:1.2.13.dfsg-1', { severity: 'LOW', cvss: 3.1, purl: 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64' });
export const curl = finding('CVE-2023-38545', 'curl', '7.88.1-10', { severity: 'HIGH', cvss: 8.8, fixedVersion: '7.88.1-10+deb12u4', knownExploited: true });
export const express = finding('CVE-2022-24999', 'qs', '6.7.0', { aliases: ['GHSA-hrpp-h998-j3pp'], severity: 'HIGH', cvss: 7.5, fixedVersion: '6.7.3', purl: 'pkg:npm/qs@6.7.0' });
export const git = finding('CVE-2023-22490', 'git', '2.39.0-r1', { severity: 'MEDIUM', cvss: 5.5, fixedVersion: '2.39.2-r0', purl: 'pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64' });
