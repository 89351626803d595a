// The JSON shapes of the Scans API, exactly as the API reference documents them.
import type { Finding } from '#domain/findings/finding.ts';
import type { ScanDetails } from '#domain/scans/scan-details.ts';

export function findingView(finding: Finding) {
  const { id, scanId, cveId, severity, cvss, package: pkg, version, fixedVersion, scanner, triage, timeline } = finding;
  return { id, scanId, cveId, severity, cvss, package: pkg, version, fixedVersion, scanner, triage, timeline };
}

export function scanDetailsView({ scan, findings, packages, layers, scanners, warnings }: ScanDetails) {
  return {
    id: scan.id,
    image: scan.image,
    status: scan.status,
    compliance: scan.compliance,
    riskScore: scan.riskScore,
    scannedAt: scan.scannedAt,
    duration: scan.duration,
    vulnerabilities: findings.map(findingView),
    packages,
    layers,
    // Beyond the reference's shape: each scanner's name, version, status and error, and what the
    // scan could not do (a complete scan without vulnerability matching says so here).
    scanners,
    warnings,
    // Only for a failed scan: why, in terms a user can act on.
    ...(scan.failure ? { failure: scan.failure } : {}),
  };
}

export const queuedView = (scanId: string) => ({
  scanId,
  status: 'QUEUED' as const,
  message: 'Scan queued for execution',
  url: `/dashboard/scans/${scanId}`,
});
