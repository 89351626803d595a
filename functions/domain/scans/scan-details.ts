// Reading and deleting one scan, always within the caller's organisation: a scan of another
// organisation is indistinguishable from one that does not exist.
import type { EnvelopeCheck } from '#shared/envelope/envelope-schema.ts';
import { NotFoundError } from '#shared/errors.ts';
import { compareFindings } from '../findings/build-findings.ts';
import type { Finding } from '../findings/finding.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import { stopTaskIfRunning } from '../pipeline/scan-lifecycle.ts';
import type { TaskStopper } from '../pipeline/scan-runner.ts';
import { complianceOf } from '#shared/compliance/compliance-grade.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import type { RawOutputStore } from './raw-outputs.ts';
import type { IntegrationStore } from '../integrations/integration.ts';
import type { Scan, ScanTrigger } from './scan.ts';
import type { ScanArtifactStore, ScanStatusView, ScanStore } from './scan-store.ts';

export interface ScanDetails {
  scan: Scan;
  findings: Finding[];
  packages: unknown[];
  layers: unknown[];
  scanners: unknown[];
  warnings: string[];
  /** The checks behind the scan's grade, as the envelope carried them. */
  checks: EnvelopeCheck[];
  /** The score behind the stored grade, by the same function over the same checks. */
  complianceScore: number | null;
  trigger: ScanTriggerView;
}

/** What started the scan; a registry push lists every tag the image was pushed under within the integration's window. */
export type ScanTriggerView =
  | { kind: 'api' }
  | { kind: 'registry-push'; integrationId: string; provider: string; eventId: string; tags: string[] }
  | Extract<ScanTrigger, { kind: 'rematch' | 'registry-check' }>;

interface Deps {
  scans: ScanStore;
  artifacts: ScanArtifactStore;
  integrations: Pick<IntegrationStore, 'getPushRecord'>;
}

async function triggerOf(scan: Scan, deps: Deps): Promise<ScanTriggerView> {
  if (!scan.trigger) return { kind: 'api' };
  if (scan.trigger.kind !== 'registry-push') return scan.trigger;
  const { imageKey, ...trigger } = scan.trigger;
  const record = await deps.integrations.getPushRecord(scan.orgId, imageKey);
  // The record outlives the push window by months; past that (or for another window's scan), the scan's own tag.
  const tags = record && record.scanId === scan.id ? record.tags : scan.image.tag ? [scan.image.tag] : [];
  return { ...trigger, tags };
}

const notFound = (scanId: string) => new NotFoundError(`Scan ${scanId} not found`);

/** `parts` skips what a caller does not need (the findings, or the packages and layers object). */
export async function getScanDetails(
  actor: Principal,
  scanId: string,
  deps: Deps,
  parts: { findings?: boolean; artifacts?: boolean } = {},
): Promise<ScanDetails> {
  const scan = await deps.scans.getScan(actor.orgId, scanId);
  if (!scan) throw notFound(scanId);
  // Results belong to a COMPLETE scan only: before that, ingest may have staged some of them
  // (functions/domain/scans/ingest-envelope.ts), which nobody may see half-written.
  const complete = scan.status === 'COMPLETE';
  const [findings, artifacts, trigger] = await Promise.all([
    parts.findings === false || !complete ? [] : deps.scans.listFindings(actor.orgId, scanId),
    parts.artifacts === false || !complete ? undefined : deps.artifacts.getArtifacts(actor.orgId, scanId),
    triggerOf(scan, deps),
  ]);
  // Stored by ingest from the validated envelope.
  const checks = (artifacts?.checks ?? []) as EnvelopeCheck[];
  return {
    scan,
    findings: findings.sort(compareFindings),
    packages: artifacts?.packages ?? [],
    layers: artifacts?.layers ?? [],
    scanners: artifacts?.scanners ?? [],
    warnings: artifacts?.warnings ?? [],
    checks,
    complianceScore: complianceOf(checks).score,
    trigger,
  };
}

export async function getScanStatus(actor: Principal, scanId: string, deps: Pick<Deps, 'scans'>): Promise<ScanStatusView> {
  const status = await deps.scans.getScanStatus(actor.orgId, scanId);
  if (!status) throw notFound(scanId);
  return status;
}

/** Removes the scan and everything stored for it; a running task is stopped first. */
export async function deleteScan(
  actor: Principal,
  scanId: string,
  deps: Deps & { runner: TaskStopper; rawOutputs: RawOutputStore; triage: Pick<TriageStore, 'appendAudit'>; now: () => Date },
): Promise<void> {
  const removed = await deps.scans.deleteScan(actor.orgId, scanId);
  if (!removed) throw notFound(scanId);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, deps.now()),
    action: 'scan.delete',
    target: scanId,
    before: { image: removed.image, status: removed.status },
  });
  if (removed.status === 'IN_PROGRESS' && removed.taskArn) {
    await stopTaskIfRunning(deps.runner, removed.taskArn, `Scan deleted by ${actorName(actor)}`);
  }
  await Promise.all([deps.artifacts.deleteArtifacts(actor.orgId, scanId), deps.rawOutputs.deleteAll(actor.orgId, scanId)]);
}
