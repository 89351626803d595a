// Ingest: a scanner or sensor delivers an envelope; the scan becomes COMPLETE with its
// findings, risk score and compliance grade. Repeating an upload replaces the scan's results.
// An envelope for a scan id the organisation never queued becomes a new, sensor-initiated scan.
import type { ScanEnvelope } from '../envelope/envelope-schema.ts';
import { ConflictError, ForbiddenError } from '../errors.ts';
import { buildFindings } from '../findings/build-findings.ts';
import type { Principal } from '../identity/principal.ts';
import { complianceOf } from '../risk/compliance-grade.ts';
import { countBySeverity, riskScore } from '../risk/risk-score.ts';
import { imageName, parseImageReference } from './image-reference.ts';
import type { Scan } from './scan.ts';
import type { ScanArtifactStore, ScanStore } from './scan-store.ts';
import { followFindings, recordFindingHistory } from '../findings/follow-findings.ts';
import type { TriageStore } from '../triage/triage-store.ts';

export interface IngestDeps {
  scans: ScanStore;
  artifacts: ScanArtifactStore;
  triage: TriageStore;
  now: () => Date;
}

export async function ingestEnvelope(actor: Principal, envelope: ScanEnvelope, deps: IngestDeps): Promise<Scan> {
  if (actor.kind !== 'api_key' || !actor.sensor) throw new ForbiddenError('Uploads require a sensor-scoped API key');
  if (actor.scanId !== undefined && actor.scanId !== envelope.scan.id) {
    throw new ForbiddenError(`This credential may only upload scan ${actor.scanId}`);
  }
  const now = deps.now().toISOString();
  const existing = await deps.scans.getScan(actor.orgId, envelope.scan.id);
  if (existing?.status === 'CANCELLED') throw new ConflictError(`Scan ${existing.id} was cancelled; its results are not accepted`);
  const finishedAt = envelope.scan.finishedAt ?? now;
  const startedAt = envelope.scan.startedAt ?? existing?.requestedAt ?? finishedAt;

  const image = existing?.image ?? imageOf(envelope);
  const tagId = existing?.tagId ?? (await deps.scans.ensureTag(actor.orgId, image.name, image.tag ?? image.digest ?? 'latest'));
  const findings = buildFindings(envelope.scan.id, envelope.vulnerabilities, finishedAt);
  const checks = envelope.checks ?? [];
  const compliance = checks.length > 0 ? complianceOf(checks) : (envelope.compliance ?? null);

  const scan: Scan = {
    id: envelope.scan.id,
    orgId: actor.orgId,
    tagId,
    image: { ...image, digest: envelope.image.digest ?? image.digest },
    status: 'COMPLETE',
    scanners: existing?.scanners ?? envelope.scanners.map((s) => s.name),
    compliance: compliance?.grade ?? null,
    riskScore: riskScore(findings),
    duration: Math.max(0, Date.parse(finishedAt) - Date.parse(startedAt)),
    scannedAt: new Date(finishedAt).toISOString(),
    requestedAt: existing?.requestedAt ?? startedAt,
    updatedAt: now,
    source: existing?.source ?? 'sensor',
    severityCounts: countBySeverity(findings),
    ...(existing?.startedAt ? { startedAt: existing.startedAt } : {}),
    ...(existing?.taskArn ? { taskArn: existing.taskArn } : {}),
  };
  // Artifacts first: if the summary write fails, a retry rewrites them; the summary never
  // points at results that are not stored.
  await deps.artifacts.putArtifacts(actor.orgId, scan.id, {
    packages: envelope.packages,
    layers: envelope.layers,
    checks,
    scanners: envelope.scanners,
    warnings: envelope.warnings ?? [],
  });
  const firstSightings = await followFindings(scan, findings, deps);
  await deps.scans.saveResults(scan, existing?.status, findings);
  await recordFindingHistory(scan, findings, firstSightings, deps);
  return scan;
}

function imageOf(envelope: ScanEnvelope): Scan['image'] {
  if (!envelope.image.name) return { name: 'unknown', tag: envelope.image.tag ?? null, digest: envelope.image.digest ?? null };
  const ref = parseImageReference(envelope.image.name + (envelope.image.tag ? `:${envelope.image.tag}` : ''), 'image.name');
  return { name: imageName(ref), tag: ref.tag, digest: envelope.image.digest ?? ref.digest };
}
