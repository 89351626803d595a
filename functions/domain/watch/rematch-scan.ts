// Re-matches one tag's current scan against a snapshot and, when its findings change, stores the
// result as a new scan through ingest (docs/WATCH.md). Cheap when nothing changed: a scan already
// matched against this snapshot costs one read, a snapshot that changes nothing for the image
// costs its findings' and artifacts' reads, and neither writes anything.
import { createHash } from 'node:crypto';
import { ConflictError } from '#shared/errors.ts';
import type { AdvisoryIndex } from '#shared/matching/match-packages.ts';
import type { Finding } from '../findings/finding.ts';
import type { Principal } from '../identity/principal.ts';
import { ingestEnvelope, type IngestDeps } from '../scans/ingest-envelope.ts';
import type { Scan } from '../scans/scan.ts';
import { rematch, type SnapshotIdentity } from './rematch.ts';

/** How long the re-match scan may stay QUEUED before the reaper fails it: ingest follows at once, so only a crash leaves it. */
const QUEUED_FOR_MS = 15 * 60_000;

export type RematchScanResult =
  | { outcome: 'not-complete' | 'same-snapshot' | 'same-findings' | 'no-inventory' | 'already-rematched' }
  | { outcome: 'rematched'; scan: Scan; added: Finding[]; resolved: Finding[]; updated: Finding[] };

/** The same base scan and snapshot always name the same re-match scan: two workers on one tag store it once. */
export const rematchScanId = (baseScanId: string, contentHash: string) =>
  `scn-rm${createHash('sha256').update(`${baseScanId}\0${contentHash}`).digest('base64url').slice(0, 20)}`;

export async function rematchScan(
  orgId: string,
  baseScanId: string,
  index: AdvisoryIndex,
  snapshot: SnapshotIdentity,
  deps: IngestDeps,
): Promise<RematchScanResult> {
  const base = await deps.scans.getScan(orgId, baseScanId);
  if (!base || base.status !== 'COMPLETE') return { outcome: 'not-complete' };
  if (base.matching?.snapshot?.contentHash === snapshot.contentHash) return { outcome: 'same-snapshot' };
  const scanId = rematchScanId(base.id, snapshot.contentHash);
  // Read together: a re-match scan that already exists (a redelivery) is rare, so its check
  // rarely wastes the other two reads, and it saves every tag a round trip.
  const [existing, findings, artifacts] = await Promise.all([
    deps.scans.getScan(orgId, scanId),
    deps.scans.listFindings(orgId, base.id),
    deps.artifacts.getArtifacts(orgId, base.id),
  ]);
  // A re-match scan left QUEUED (its worker died between creating and storing it) is finished here.
  if (existing && existing.status !== 'QUEUED') return { outcome: 'already-rematched' };
  if (!artifacts) return { outcome: 'no-inventory' };
  const at = deps.now();
  const outcome = rematch({ scan: base, findings, artifacts }, index, snapshot, scanId, at);
  if (!outcome.changed) return { outcome: outcome.reason };

  const requestedAt = at.toISOString();
  try {
    if (!existing) {
      await deps.scans.createScans([
        {
          id: scanId,
          orgId,
          tagId: base.tagId,
          image: base.image,
          status: 'QUEUED',
          scanners: base.scanners,
          compliance: null,
          riskScore: null,
          duration: null,
          scannedAt: null,
          requestedAt,
          updatedAt: requestedAt,
          source: base.source,
          trigger: { kind: 'rematch', basedOn: base.id, snapshot: { builtAt: snapshot.builtAt, contentHash: snapshot.contentHash } },
          deadline: new Date(at.getTime() + QUEUED_FOR_MS).toISOString(),
        },
      ]);
    }
    // HarborGuard stores the results itself, as a sensor would upload them.
    const actor: Principal = { orgId, role: 'developer', kind: 'api_key', credentialId: 'harborguard-rematch', sensor: true };
    const scan = await ingestEnvelope(actor, outcome.envelope, deps);
    return { outcome: 'rematched', scan, added: outcome.added, resolved: outcome.resolved, updated: outcome.updated };
  } catch (error) {
    // Another worker on the same tag and snapshot (a concurrent run, a redelivery) created or is storing this scan: it is theirs to finish.
    if (error instanceof ConflictError) return { outcome: 'already-rematched' };
    throw error;
  }
}
