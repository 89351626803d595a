// Following findings across scans of the same image: when each was first seen (per tag),
// the triage it carries forward (per repository), its SLA deadline, and which findings of the
// previous scan of the tag this scan no longer reports (resolved).
import { imageIdOf } from '../images/catalogue.ts';
import type { Scan } from '../scans/scan.ts';
import type { ScanStore } from '../scans/scan-store.ts';
import { DEFAULT_SLA_DAYS, slaDeadline } from '../triage/sla-policy.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import { findingKey } from './build-findings.ts';
import type { Finding } from './finding.ts';

export interface FollowDeps {
  scans: ScanStore;
  triage: TriageStore;
  now: () => Date;
}

/**
 * Fills timeline.firstSeenAt, triage and slaDeadline of a new scan's findings; returns the
 * first sightings this scan adds, for the triage store's recordFirstSightings.
 */
export async function followFindings(scan: Scan, findings: Finding[], deps: FollowDeps): Promise<Map<string, string>> {
  const [sightings, triageByKey, policy] = await Promise.all([
    deps.triage.firstSightings(scan.orgId, scan.tagId),
    deps.triage.repositoryTriage(scan.orgId, scan.image.name),
    deps.triage.getSlaPolicy(scan.orgId),
  ]);
  const now = deps.now().toISOString();
  const firstSightings = new Map<string, string>();
  for (const finding of findings) {
    const key = findingKey(finding);
    const seen = sightings.get(key);
    if (seen === undefined) firstSightings.set(key, finding.timeline.firstSeenAt);
    else if (seen < finding.timeline.firstSeenAt) finding.timeline.firstSeenAt = seen;
    const carried = triageByKey.get(key);
    if (carried) {
      finding.triage = { ...carried };
      if (carried.status === 'FIXED') {
        // Marked fixed, yet here it is again: reopen it, for this scan and the ones after.
        finding.triage = { ...carried, status: 'OPEN', updatedBy: 'harborguard', updatedAt: now, note: `Reopened: still reported by ${scan.id}` };
        await deps.triage.putRepositoryTriage(scan.orgId, scan.image.name, key, finding.triage);
        await deps.triage.appendAudit(scan.orgId, {
          at: now,
          actor: 'harborguard',
          action: 'triage.reopen',
          target: finding.id,
          before: carried,
          after: finding.triage,
        });
      }
    }
    finding.triage.slaDeadline = slaDeadline(finding.timeline.firstSeenAt, finding.severity, policy ?? DEFAULT_SLA_DAYS);
  }
  return firstSightings;
}

/** What a scan changed against the previous scan of its tag. */
export interface ScanChange {
  previousScanId: string | null;
  /** This scan's findings the previous one did not report (all of them without a previous scan). */
  added: Finding[];
  /** The previous scan's findings this one no longer reports, now resolved. */
  resolved: Finding[];
  /** Findings both report whose vulnerability is now in CISA's KEV catalogue and was not before. */
  nowExploited: Finding[];
}

/**
 * Once the scan is COMPLETE: resolve what the previous scan of the tag had and this one no
 * longer reports; what changed. A scan older than the tag's latest changes nothing there.
 */
export async function resolvePreviousScan(scan: Scan, findings: Finding[], deps: FollowDeps): Promise<ScanChange> {
  const none: ScanChange = { previousScanId: null, added: findings, resolved: [], nowExploited: [] };
  if (!scan.scannedAt) return none;
  const swap = await deps.triage.swapLatestScan(scan.orgId, scan.tagId, {
    scanId: scan.id,
    scannedAt: scan.scannedAt,
    snapshotHash: scan.matching?.snapshot?.contentHash ?? null,
    // What the catalogue shows of the tag (functions/domain/images/catalogue.ts).
    digest: scan.image.digest,
    riskScore: scan.riskScore,
    grade: scan.compliance,
    severityCounts: scan.severityCounts ?? null,
  });
  if (!swap) return none;
  const previous = swap.replaced;
  const previousFindings = previous ? await deps.scans.listFindings(scan.orgId, previous.scanId) : [];
  await deps.triage.replaceCurrentFindings(
    scan.orgId,
    { tagId: scan.tagId, imageId: imageIdOf(swap.name), image: swap.name, tag: swap.tag },
    previous ? { scanId: previous.scanId, findings: previousFindings } : undefined,
    { scanId: scan.id, findings },
  );
  if (!previous) return none;
  const current = new Set(findings.map(findingKey));
  const before = new Map(previousFindings.map((f) => [findingKey(f), f]));
  const resolved = previousFindings
    .filter((f) => f.timeline.resolvedAt === null && !current.has(findingKey(f)))
    .map((f) => ({ ...f, timeline: { ...f.timeline, resolvedAt: scan.scannedAt } }));
  await deps.scans.putFindings(scan.orgId, previous.scanId, resolved);
  const nowExploited = findings.filter((f) => f.knownExploited === true && before.has(findingKey(f)) && before.get(findingKey(f))!.knownExploited !== true);
  return { previousScanId: previous.scanId, added: findings.filter((f) => !before.has(findingKey(f))), resolved, nowExploited };
}
