// Turns an envelope's vulnerability list into the scan's findings: one per
// (vulnerability, package, installed version), keeping the highest severity and CVSS
// and the union of the scanners and advisories that reported it, in a deterministic order,
// with the advisories' details (title, aliases, references, KEV, EPSS…: finding-details.ts).
import { createHash } from 'node:crypto';
import { SEVERITIES, type EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import type { Finding } from './finding.ts';
import { mergeDetails } from './finding-details.ts';

const rank = (severity: Finding['severity']) => SEVERITIES.indexOf(severity);

/**
 * Reporters kept per finding. Each is bounded by the envelope schema, but one envelope may
 * repeat a finding under thousands of advisory ids; the finding is one DynamoDB item (≤ 400 KB).
 */
const MAX_SOURCES = 256;
const sourcesOf = (reporters: Iterable<string>) => [...new Set(reporters)].sort().slice(0, MAX_SOURCES);

function vulnerabilityKey(v: EnvelopeVulnerability): string {
  const cve = v.cveId ?? [v.id, ...(v.aliases ?? [])].find((id) => id.startsWith('CVE-'));
  return cve ?? v.id;
}

/**
 * Deterministic, so a repeated upload overwrites rather than duplicates; it embeds the scan
 * id so that a finding can be found from its id alone (PUT /api/vulnerabilities/{id}/triage).
 */
export function findingId(scanId: string, key: string, pkg: string, version: string): string {
  const hash = createHash('sha256').update(`${scanId}\0${key}\0${pkg}\0${version}`).digest('hex').slice(0, 20);
  return `fnd-${scanId.slice('scn-'.length)}.${hash}`;
}

/** The scan a finding id belongs to, or undefined when the id is not one of ours. */
export function scanIdOfFinding(id: string): string | undefined {
  const match = /^fnd-([A-Za-z0-9_-]{1,64})\.[0-9a-f]{20}$/.exec(id);
  return match ? `scn-${match[1]}` : undefined;
}

/** What identifies "the same finding" across scans: the vulnerability and the package. */
export function findingKey(finding: { cveId: string; package: string }): string {
  return `${finding.cveId}#${finding.package}`;
}

export function buildFindings(scanId: string, vulnerabilities: readonly EnvelopeVulnerability[], detectedAt: string): Finding[] {
  const merged = new Map<string, Finding>();
  for (const v of vulnerabilities) {
    const key = vulnerabilityKey(v);
    const id = findingId(scanId, key, v.package, v.version);
    const reporters = [v.scanner ?? 'harborguard', ...(v.sources ?? []), v.id];
    const existing = merged.get(id);
    if (!existing) {
      const finding: Finding = {
        id,
        scanId,
        cveId: key,
        severity: v.severity,
        cvss: v.cvss ?? null,
        package: v.package,
        version: v.version,
        fixedVersion: v.fixedVersion ?? null,
        scanner: v.scanner ?? 'harborguard',
        sources: sourcesOf(reporters),
        triage: { status: 'OPEN', assignee: null, slaDeadline: null, note: null, updatedBy: null, updatedAt: null },
        timeline: { detectedAt, firstSeenAt: detectedAt, resolvedAt: null },
      };
      merged.set(id, { ...finding, ...mergeDetails(finding, v, true) });
      continue;
    }
    if (rank(v.severity) < rank(existing.severity)) existing.severity = v.severity;
    const strongerCvss = v.cvss != null && (existing.cvss === null || v.cvss > existing.cvss);
    if (strongerCvss) existing.cvss = v.cvss ?? null;
    existing.fixedVersion ??= v.fixedVersion ?? null;
    existing.sources = sourcesOf([...existing.sources, ...reporters]);
    Object.assign(existing, mergeDetails(existing, v, strongerCvss));
  }
  return [...merged.values()].sort(compareFindings);
}

/** Most severe first, then by vulnerability id, package and version: the order users see. */
export function compareFindings(a: Finding, b: Finding): number {
  return rank(a.severity) - rank(b.severity) || a.cveId.localeCompare(b.cveId) || a.package.localeCompare(b.package) || a.version.localeCompare(b.version);
}
