// The events a scan's end publishes, built from the scan and its findings. The ids are the
// scan's, so the same end publishes the same events.
import type { Finding } from '../findings/finding.ts';
import type { Scan } from '../scans/scan.ts';
import type { EventData, WebhookEventType } from './event-types.ts';
import type { WebhookEvent } from './webhook.ts';

/** Findings carried in full by one event; the rest are behind `more`. */
export const FINDINGS_IN_FULL = 100;
const ALARMING = new Set(['CRITICAL', 'HIGH']);

const eventOf = <T extends WebhookEventType>(scan: Scan, type: T, at: string, data: EventData<T>): WebhookEvent => ({
  id: `evt_${scan.id}_${type.replace('.', '_')}`,
  orgId: scan.orgId,
  type,
  createdAt: at,
  data: data,
});

const summaryOf = (scan: Scan) => ({
  id: scan.id,
  url: `/api/scans/${scan.id}`,
  dashboardUrl: `/dashboard/scans/${scan.id}`,
  image: scan.image,
  status: scan.status,
});

const findingOf = (finding: Finding) => ({
  id: finding.id,
  cveId: finding.cveId,
  severity: finding.severity,
  cvss: finding.cvss,
  package: finding.package,
  version: finding.version,
  fixedVersion: finding.fixedVersion,
  knownExploited: finding.knownExploited === true,
  title: finding.title ?? null,
});

function listOf(findings: Finding[], more: string) {
  return { total: findings.length, items: findings.slice(0, FINDINGS_IN_FULL).map(findingOf), more: findings.length > FINDINGS_IN_FULL ? more : null };
}

/** What changed against the previous scan of the same repository and tag. */
export interface FindingsDiff {
  previousScanId: string | null;
  added: Finding[];
  resolved: Finding[];
  /** Of `added`, those never seen before on the tag. */
  firstSeen: Finding[];
  /** Findings of both scans whose vulnerability entered CISA's KEV catalogue in between. */
  nowExploited: Finding[];
}

export function scanCompletedEvents(scan: Scan, diff: FindingsDiff): WebhookEvent[] {
  const at = scan.scannedAt ?? scan.updatedAt;
  const summary = summaryOf(scan);
  const events = [
    eventOf(scan, 'scan.completed', at, {
      scan: {
        ...summary,
        grade: scan.compliance,
        riskScore: scan.riskScore,
        severityCounts: scan.severityCounts ?? null,
        scannedAt: at,
        durationMs: scan.duration,
      },
      previousScanId: diff.previousScanId,
      newFindings: listOf(diff.added, `${summary.url}/vulnerabilities`),
      resolvedFindings: listOf(diff.resolved, diff.previousScanId ? `/api/scans/${diff.previousScanId}/vulnerabilities` : summary.url),
    }),
  ];
  const alarming = diff.firstSeen.filter((f) => ALARMING.has(f.severity));
  if (alarming.length > 0) events.push(eventOf(scan, 'finding.new', at, { scan: summary, findings: listOf(alarming, `${summary.url}/vulnerabilities`) }));
  if (diff.nowExploited.length > 0)
    events.push(eventOf(scan, 'kev.added', at, { scan: summary, findings: listOf(diff.nowExploited, `${summary.url}/vulnerabilities`) }));
  return events;
}

export function scanEndedEvents(scan: Scan): WebhookEvent[] {
  const at = scan.updatedAt;
  if (scan.status === 'FAILED' && scan.failure) return [eventOf(scan, 'scan.failed', at, { scan: summaryOf(scan), failure: scan.failure })];
  if (scan.status === 'CANCELLED') return [eventOf(scan, 'scan.cancelled', at, { scan: summaryOf(scan) })];
  return [];
}
