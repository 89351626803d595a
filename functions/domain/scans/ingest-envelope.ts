// Ingest: a scanner or sensor delivers an envelope; the scan becomes COMPLETE with its
// findings, risk score and compliance grade. An envelope for a scan id the organisation never
// queued becomes a new, sensor-initiated scan (plain sensor keys only: a scanner task's key
// acts on its own scan, and only while that scan exists and is not cancelled).
//
// All or nothing: everything written before the scan's summary (artifacts, findings, first
// sightings, carried triage) is repeatable and invisible until the summary says COMPLETE, and
// that summary is one conditional write. A failure anywhere before it leaves the scan as it
// was, and a retry of the same upload finishes it.
//
// One envelope at a time: the staged results are written under the scan's own keys, so an
// upload first claims the scan's ingest for its envelope (SHA-256); another envelope meanwhile
// is a 409, and the final write holds only while the claim is still this envelope's.
//
// Final once COMPLETE: the same envelope again changes nothing (a task that retries a finished
// upload gets the same answer); another envelope is a 409 — a completed scan is a record that
// later scans are compared with, not a slot to overwrite; scanning again is a new scan.
import { createHash } from 'node:crypto';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { ConflictError } from '#shared/errors.ts';
import { buildFindings, findingKey } from '../findings/build-findings.ts';
import type { Finding } from '../findings/finding.ts';
import { followFindings, resolvePreviousScan } from '../findings/follow-findings.ts';
import type { Principal } from '../identity/principal.ts';
import { complianceOf } from '#shared/compliance/compliance-grade.ts';
import { countBySeverity, riskScore } from '#shared/risk/risk-score.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import { publishAfterCommit, type EventPublisher } from '../webhooks/publish-events.ts';
import { scanCompletedEvents } from '../webhooks/scan-events.ts';
import { assertMayUpload, uploadTarget } from './envelope-upload.ts';
import { imageName, parseImageReference } from '#shared/image-reference/image-reference.ts';
import { tagNameOf, type Scan } from './scan.ts';
import type { ScanArtifactStore, ScanStore } from './scan-store.ts';

export interface IngestDeps {
  scans: ScanStore;
  artifacts: ScanArtifactStore;
  triage: TriageStore;
  events: EventPublisher;
  now: () => Date;
}

/** What identifies one envelope: the SHA-256 of its JSON as validated. */
export function envelopeDigest(envelope: ScanEnvelope): string {
  return createHash('sha256').update(JSON.stringify(envelope)).digest('hex');
}

/** True when the scan already holds exactly this envelope's results. */
export const alreadyIngested = (existing: Scan | undefined, digest: string) => existing?.status === 'COMPLETE' && existing.ingestDigest === digest;

/** What an upload is measured against: the scan it may write (after the credential's checks) and the envelope's digest. */
export interface PreparedUpload {
  existing: Scan | undefined;
  digest: string;
}

/**
 * How long an upload holds the scan's ingest: longer than any ingest can run (the upload
 * route's 29 s, the ingest job's 5 minutes: test/infra/ingest-claim.test.ts), so a claim never
 * lapses under a live ingest; one left by an ingest that was stopped lapses after it.
 */
export const INGEST_CLAIM_MS = 6 * 60_000;

/** Reads the target scan and hashes the envelope once, for callers that decide before ingesting. */
export async function prepareUpload(actor: Principal, envelope: ScanEnvelope, deps: Pick<IngestDeps, 'scans'>): Promise<PreparedUpload> {
  const existing = await uploadTarget(actor, envelope.scan.id, deps);
  const digest = envelopeDigest(envelope);
  assertNotFinal(existing, digest);
  return { existing, digest };
}

function assertNotFinal(existing: Scan | undefined, digest: string): void {
  if (existing?.status === 'COMPLETE' && existing.ingestDigest !== digest)
    throw new ConflictError(
      `Scan ${existing.id} is already COMPLETE with other results, which are kept as they are; to scan the image again, start a new scan`,
    );
}

export async function ingestEnvelope(actor: Principal, envelope: ScanEnvelope, deps: IngestDeps, digest = envelopeDigest(envelope)): Promise<Scan> {
  const scanId = envelope.scan.id;
  assertMayUpload(actor, scanId);
  const claimedAt = deps.now();
  const claim = { envelopeSha256: digest, until: new Date(claimedAt.getTime() + INGEST_CLAIM_MS) };
  if (!(await deps.scans.claimIngest(actor.orgId, scanId, claim, claimedAt)))
    throw new ConflictError(`Another upload of scan ${scanId} is being stored; retry once it has finished`);
  let stored: StoredResults;
  let existing: Scan | undefined;
  try {
    // Read under the claim: nothing can complete the scan meanwhile.
    existing = await uploadTarget(actor, scanId, deps);
    assertNotFinal(existing, digest);
    if (alreadyIngested(existing, digest)) {
      await deps.scans.releaseIngest(actor.orgId, scanId, digest);
      return existing!;
    }
    stored = await storeResults(actor, envelope, digest, existing, deps);
  } catch (error) {
    // Best effort: a claim that cannot be released lapses by itself.
    await deps.scans.releaseIngest(actor.orgId, scanId, digest).catch(() => undefined);
    throw error;
  }

  const { scan, findings, firstSightings } = stored;
  const change = await resolvePreviousScan(scan, findings, deps);
  const firstSeen = findings.filter((f) => firstSightings.has(findingKey(f)));
  await publishAfterCommit(deps.events, scanCompletedEvents(scan, { ...change, firstSeen }));
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, deps.now()),
    action: 'scan.upload',
    target: scan.id,
    ...(existing ? { before: { status: existing.status } } : {}),
    after: { status: scan.status, envelopeSha256: digest, findings: findings.length, packages: envelope.packages.length },
  });
  return scan;
}

/** Stages the envelope's results under the scan, then makes them visible in one conditional write. */
async function storeResults(actor: Principal, envelope: ScanEnvelope, digest: string, existing: Scan | undefined, deps: IngestDeps): Promise<StoredResults> {
  const now = deps.now().toISOString();
  const finishedAt = envelope.scan.finishedAt ?? now;
  const startedAt = envelope.scan.startedAt ?? existing?.requestedAt ?? finishedAt;
  const image = existing?.image ?? imageOf(envelope);
  const tagId = existing?.tagId ?? (await deps.scans.ensureTag(actor.orgId, image.name, tagNameOf(image)));
  const findings = buildFindings(envelope.scan.id, envelope.vulnerabilities, finishedAt);
  const checks = envelope.checks ?? [];
  // Graded from the checks as the CLI grades them; an envelope's own `compliance` is not trusted.
  const compliance = complianceOf(checks);
  // Envelopes from before `matching` existed were scored as matched; they still are.
  const matching = envelope.matching ?? { status: 'MATCHED' as const };
  const matched = matching.status === 'MATCHED';

  const scan: Scan = {
    id: envelope.scan.id,
    orgId: actor.orgId,
    tagId,
    image: { ...image, digest: envelope.image.digest ?? image.digest },
    status: 'COMPLETE',
    scanners: existing?.scanners ?? envelope.scanners.map((s) => s.name),
    compliance: compliance.grade,
    // Not matched: no score rather than a 0 that reads as a clean image.
    riskScore: matched ? riskScore(findings) : null,
    duration: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    scannedAt: new Date(finishedAt).toISOString(),
    requestedAt: existing?.requestedAt ?? startedAt,
    updatedAt: now,
    source: existing?.source ?? 'sensor',
    ...(existing?.trigger ? { trigger: existing.trigger } : {}),
    ...(matched ? { severityCounts: countBySeverity(findings) } : {}),
    matching,
    ingestDigest: digest,
    ...(existing?.startedAt ? { startedAt: existing.startedAt } : {}),
    ...(existing?.taskArn ? { taskArn: existing.taskArn } : {}),
  };

  // Staged: artifacts are read only for COMPLETE scans, findings likewise; first sightings
  // and a reopened triage are the same values again on a retry.
  await deps.artifacts.putArtifacts(actor.orgId, scan.id, {
    packages: envelope.packages,
    layers: envelope.layers,
    checks,
    scanners: envelope.scanners,
    warnings: envelope.warnings ?? [],
    ...(envelope.image.os ? { os: envelope.image.os } : {}),
  });
  const firstSightings = await followFindings(scan, findings, deps);
  if (scan.trigger?.kind === 'rematch') for (const finding of findings) if (firstSightings.has(findingKey(finding))) finding.detectedBy = 'rematch';
  await deps.scans.replaceFindings(scan.orgId, scan.id, findings);
  await deps.triage.recordFirstSightings(scan.orgId, scan.tagId, firstSightings);

  // The one visible change, and only while the claim is still this envelope's.
  if (!(await deps.scans.saveScan(scan, existing?.status, digest))) {
    throw new ConflictError(`Scan ${scan.id} changed while its results were being stored; retry`);
  }
  return { scan, findings, firstSightings };
}

interface StoredResults {
  scan: Scan;
  findings: Finding[];
  /** Keys of the findings first seen on the tag by this scan. */
  firstSightings: Map<string, string>;
}

/** The image an envelope names, normalised as image references are. */
export function imageOf(envelope: ScanEnvelope): Scan['image'] {
  if (!envelope.image.name) return { name: 'unknown', tag: envelope.image.tag ?? null, digest: envelope.image.digest ?? null };
  const ref = parseImageReference(envelope.image.name + (envelope.image.tag ? `:${envelope.image.tag}` : ''), 'image.name');
  return { name: imageName(ref), tag: ref.tag, digest: envelope.image.digest ?? ref.digest };
}
