// A failing gate over a realistic Debian image with a Node app, built by hand: openssl CRITICAL with
// a fix, zlib LOW without one, nghttp2 in CISA's KEV catalog, glibc suppressed by VEX, semver by an
// ignore rule, and the secret-files check FATAL under failOnChecks. The policy had five rules set;
// maxRiskScore and minGrade held.
import type { EnvelopeCheck } from '#shared/envelope/envelope-schema.ts';
import type { GateFinding, GateInput, Verdict } from '../../gate-types.ts';

const layer = {
  base: 'sha256:1f3e9c4b0a7d2e6f8b5c3a1d9e7f0b2c4d6e8a0b1c3d5e7f9a2b4c6d8e0f1a3b',
  app: 'sha256:7a9c1e3f5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d5f7a9c1e3b5d7f9a',
};

export const openssl: GateFinding = {
  key: 'CVE-2024-5535#openssl#3.0.11-1~deb12u2',
  vulnerabilityId: 'CVE-2024-5535',
  aliases: ['DSA-5757-1'],
  severity: 'CRITICAL',
  cvss: 9.1,
  package: 'openssl',
  version: '3.0.11-1~deb12u2',
  packageType: 'deb',
  purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12',
  fixedVersion: '3.0.15-1~deb12u1',
  knownExploited: false,
  epss: 0.0021,
  layerDigest: layer.base,
  title: 'openssl: SSL_select_next_proto buffer overread',
  references: ['https://nvd.nist.gov/vuln/detail/CVE-2024-5535', 'https://www.openssl.org/news/secadv/20240627.txt'],
};

export const zlib: GateFinding = {
  key: 'CVE-2023-45853#zlib1g#1:1.2.13.dfsg-1',
  vulnerabilityId: 'CVE-2023-45853',
  aliases: [],
  severity: 'LOW',
  cvss: null,
  package: 'zlib1g',
  version: '1:1.2.13.dfsg-1',
  packageType: 'deb',
  purl: 'pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1?arch=amd64&distro=debian-12',
  fixedVersion: null,
  knownExploited: false,
  layerDigest: layer.base,
  title: 'zlib: integer overflow and resultant heap-based buffer overflow in zipOpenNewFileInZip4_6',
  references: ['https://security-tracker.debian.org/tracker/CVE-2023-45853'],
};

export const nghttp2: GateFinding = {
  key: 'CVE-2023-44487#libnghttp2-14#1.52.0-1',
  vulnerabilityId: 'CVE-2023-44487',
  aliases: ['GHSA-qppj-fm5r-hxr3'],
  severity: 'HIGH',
  cvss: 7.5,
  package: 'libnghttp2-14',
  version: '1.52.0-1',
  packageType: 'deb',
  purl: 'pkg:deb/debian/libnghttp2-14@1.52.0-1?arch=amd64&distro=debian-12',
  fixedVersion: '1.52.0-1+deb12u1',
  knownExploited: true,
  epss: 0.9447,
  layerDigest: layer.base,
  title: 'HTTP/2 Rapid Reset: request cancellation can reset many streams quickly',
  references: ['https://nvd.nist.gov/vuln/detail/CVE-2023-44487'],
};

export const curl: GateFinding = {
  key: 'CVE-2024-2398#libcurl4#7.88.1-10+deb12u5',
  vulnerabilityId: 'CVE-2024-2398',
  aliases: [],
  severity: 'MEDIUM',
  cvss: 5.9,
  package: 'libcurl4',
  version: '7.88.1-10+deb12u5',
  packageType: 'deb',
  purl: 'pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u5?arch=amd64&distro=debian-12',
  fixedVersion: '7.88.1-10+deb12u6',
  knownExploited: false,
  layerDigest: layer.base,
  title: 'curl: HTTP/2 push headers memory-leak',
  references: ['https://curl.se/docs/CVE-2024-2398.html'],
};

export const glibc: GateFinding = {
  key: 'CVE-2024-2961#libc6#2.36-9+deb12u4',
  vulnerabilityId: 'CVE-2024-2961',
  aliases: ['DSA-5673-1'],
  severity: 'HIGH',
  cvss: 8.8,
  package: 'libc6',
  version: '2.36-9+deb12u4',
  packageType: 'deb',
  purl: 'pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12',
  fixedVersion: '2.36-9+deb12u7',
  knownExploited: false,
  layerDigest: layer.base,
  title: 'glibc: out of bounds write in iconv ISO-2022-CN-EXT',
  references: ['https://nvd.nist.gov/vuln/detail/CVE-2024-2961'],
};

export const semver: GateFinding = {
  key: 'CVE-2022-25883#semver#7.5.1',
  vulnerabilityId: 'CVE-2022-25883',
  aliases: ['GHSA-c2qf-rxjj-qqgw'],
  severity: 'MEDIUM',
  cvss: 5.3,
  package: 'semver',
  version: '7.5.1',
  packageType: 'npm',
  purl: 'pkg:npm/semver@7.5.1',
  fixedVersion: '7.5.2',
  knownExploited: false,
  layerDigest: layer.app,
  title: 'semver vulnerable to Regular Expression Denial of Service',
  references: ['https://github.com/advisories/GHSA-c2qf-rxjj-qqgw'],
};

export const secretFiles: EnvelopeCheck = {
  id: 'HG-SECRET-FILES',
  title: 'Secret files in the image',
  level: 'FATAL',
  details: ['/root/.aws/credentials', '/app/.env'],
};

const checks: EnvelopeCheck[] = [
  { id: 'CIS-DI-0001', title: 'Create a user for the container', level: 'WARN', details: ['Last user is root'] },
  { id: 'CIS-DI-0005', title: 'Enable Content trust for Docker', level: 'INFO' },
  { id: 'CIS-DI-0006', title: 'Add HEALTHCHECK instruction to the container image', level: 'PASS' },
  secretFiles,
];

export const gateInput: GateInput = {
  image: { reference: 'ghcr.io/acme/payments-api:1.4.2', digest: 'sha256:5b0c3a8e2f4d6b8a0c2e4f6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b' },
  findings: [zlib, semver, openssl, glibc, curl, nghttp2],
  checks,
  compliance: { grade: 'D', score: 58 },
  matched: true,
  scan: { id: 'scn-3kp9q1', url: 'https://harborguard.example.com/scans/scn-3kp9q1' },
};

/** The rules the policy had set, with their settings: the JUnit report lists those that held as passing tests. */
export const policyRules = ['failOn HIGH', 'failOnKev', 'maxRiskScore 70', 'minGrade D', 'failOnChecks FATAL'];

export const failingVerdict: Verdict = {
  outcome: 'fail',
  violations: [
    {
      rule: 'failOn',
      message: '2 findings at or above HIGH (failOn: HIGH)',
      findingKeys: [openssl.key, nghttp2.key],
      checkIds: [],
    },
    { rule: 'failOnKev', message: '1 finding in CISA KEV (failOnKev)', findingKeys: [nghttp2.key], checkIds: [] },
    { rule: 'failOnChecks', message: '1 FATAL check failed: HG-SECRET-FILES (failOnChecks: FATAL)', findingKeys: [], checkIds: [secretFiles.id] },
  ],
  counted: [zlib, openssl, curl, nghttp2],
  suppressed: [
    {
      finding: glibc,
      suppression: {
        kind: 'vex',
        reason: 'not_affected',
        justification: 'vulnerable_code_not_in_execute_path',
        source: 'vex/payments-api.openvex.json, statement 1',
      },
    },
    {
      finding: semver,
      suppression: { kind: 'ignore', reason: 'dev-only dependency, removed in 1.5', source: '.harborguard.yaml, ignore[0]' },
    },
  ],
  inBaseline: [],
  expiredIgnores: [{ vulnerability: 'CVE-2023-31484', reason: 'perl: waiting on upstream', expires: '2026-06-30' }],
  riskScore: 62,
};

/** The same image after the fixes: only zlib's unfixed LOW is left, and every rule held. */
export const passingVerdict: Verdict = {
  ...failingVerdict,
  outcome: 'pass',
  violations: [],
  counted: [zlib],
  expiredIgnores: [],
  riskScore: 11,
};
