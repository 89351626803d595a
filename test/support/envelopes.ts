// Scan envelopes as a sensor would upload them, built against the shared schema's type.
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';

let counter = 0;

export function sampleEnvelope(overrides: Partial<ScanEnvelope> = {}): ScanEnvelope {
  counter += 1;
  return {
    scan: { id: `scn-sensor${Date.now().toString(36)}${counter}`, startedAt: '2026-04-26T14:21:33.000Z', finishedAt: '2026-04-26T14:22:11.000Z' },
    image: { name: 'ghcr.io/acme/api', tag: '1.4.7', digest: 'sha256:' + 'ab'.repeat(32) },
    scanners: [{ name: 'harborguard', version: '0.1.0', durationMs: 38211 }],
    vulnerabilities: [
      { id: 'CVE-2023-0001', severity: 'CRITICAL', cvss: 9.8, package: 'openssl', version: '3.0.1', fixedVersion: '3.0.7', scanner: 'harborguard' },
      {
        id: 'GHSA-aaaa-bbbb-cccc',
        cveId: 'CVE-2023-0002',
        severity: 'HIGH',
        cvss: 7.5,
        package: 'lodash',
        version: '4.17.15',
        fixedVersion: '4.17.21',
        scanner: 'harborguard',
      },
      { id: 'CVE-2023-0002', severity: 'MEDIUM', cvss: 5.0, package: 'lodash', version: '4.17.15', scanner: 'trivy' },
      { id: 'CVE-2023-0003', severity: 'LOW', cvss: null, package: 'zlib', version: '1.2.11', scanner: 'harborguard' },
    ],
    packages: [
      { name: 'openssl', version: '3.0.1', type: 'deb', purl: 'pkg:deb/debian/openssl@3.0.1' },
      { name: 'lodash', version: '4.17.15', type: 'npm', purl: 'pkg:npm/lodash@4.17.15' },
    ],
    layers: [{ digest: 'sha256:' + 'cd'.repeat(32), size: 1234, createdBy: 'ADD rootfs.tar /' }],
    checks: [
      { id: 'CIS-DI-0001', title: 'Create a user for the container', level: 'PASS' },
      { id: 'CIS-DI-0006', title: 'Add HEALTHCHECK instruction', level: 'WARN' },
      { id: 'DKL-LI-0003', title: 'Only put necessary files', level: 'INFO' },
    ],
    ...overrides,
  };
}
