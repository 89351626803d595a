// The JSON shapes of the Scans API, exactly as the API reference documents them.
import type { EnvelopeCheck } from '#shared/envelope/envelope-schema.ts';
import type { Finding } from '#domain/findings/finding.ts';
import { isAdvisory } from '#shared/compliance/compliance-grade.ts';
import type { ScanDetails } from '#domain/scans/scan-details.ts';
import { matchingOf } from '#domain/scans/scan.ts';

/** Every field always present: a detail no advisory gave (or a finding stored before details were kept) is null, [] or false. */
export function findingView(finding: Finding) {
  const { id, scanId, cveId, severity, cvss, package: pkg, version, fixedVersion, scanner, sources, triage, timeline } = finding;
  return {
    id,
    scanId,
    cveId,
    severity,
    cvss,
    package: pkg,
    version,
    fixedVersion,
    scanner,
    triage,
    timeline,
    // How it was first seen: 'scan', or 'rematch' when a re-match against newer advisories found it (docs/WATCH.md).
    detectedBy: finding.detectedBy ?? 'scan',
    title: finding.title ?? null,
    aliases: finding.aliases ?? [],
    sources,
    references: finding.references ?? [],
    cvssVector: finding.cvssVector ?? null,
    purl: finding.purl ?? null,
    packageType: finding.packageType ?? null,
    layerDigest: finding.layerDigest ?? null,
    knownExploited: finding.knownExploited ?? false,
    epss: finding.epss ?? null,
  };
}

/** Every check with its `advisory` flag, inferred for envelopes written before the flag existed. */
export function checkView(check: EnvelopeCheck) {
  const { id, title, level, details } = check;
  return { id, title, level, advisory: isAdvisory(check), details: details ?? [] };
}

export function scanDetailsView({ scan, findings, packages, layers, scanners, warnings, checks, complianceScore, trigger }: ScanDetails) {
  return {
    id: scan.id,
    image: scan.image,
    status: scan.status,
    compliance: scan.compliance,
    complianceScore,
    riskScore: scan.riskScore,
    // Whether riskScore can be read: NOT_MATCHED (with its reason) has none.
    matching: matchingOf(scan),
    scannedAt: scan.scannedAt,
    duration: scan.duration,
    vulnerabilities: findings.map(findingView),
    packages,
    layers,
    // Beyond the reference's shape: each scanner's name, version, status and error, and what the
    // scan could not do (a complete scan without vulnerability matching says so here).
    scanners,
    warnings,
    // The checks behind `compliance` and `complianceScore`, as the CLI lists them.
    checks: checks.map(checkView),
    // Beyond the reference's shape: what started it (the API, or a registry push with its tags).
    trigger,
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
