// The scan's risk score, the reference product's formula over deduplicated findings:
// min(100, round(25·critical + 10·high + 3·medium + 1·low + 5·average CVSS)). In shared/ because
// ingest scores a stored scan and the CI gate (scanner-task/gate/) scores what it counts, alike.
import { SEVERITIES, type Severity } from '../envelope/envelope-schema.ts';

export type SeverityCounts = Record<Severity, number>;

const WEIGHT: Record<Severity, number> = { CRITICAL: 25, HIGH: 10, MEDIUM: 3, LOW: 1, INFO: 0 };

export function countBySeverity(findings: ReadonlyArray<{ severity: Severity }>): SeverityCounts {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as SeverityCounts;
  for (const finding of findings) counts[finding.severity] += 1;
  return counts;
}

export function riskScore(findings: ReadonlyArray<{ severity: Severity; cvss: number | null }>): number {
  const counts = countBySeverity(findings);
  const weighted = SEVERITIES.reduce((sum, s) => sum + WEIGHT[s] * counts[s], 0);
  const scored = findings.filter((f) => f.cvss !== null);
  const averageCvss = scored.length === 0 ? 0 : scored.reduce((sum, f) => sum + (f.cvss ?? 0), 0) / scored.length;
  return Math.min(100, Math.round(weighted + 5 * averageCvss));
}
