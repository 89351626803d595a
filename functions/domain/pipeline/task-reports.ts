// What a running scanner task tells the control plane besides its envelope: progress, and
// why it failed (in terms a user can act on).
import * as z from '#shared/validation.ts';
import { ForbiddenError, NotFoundError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import { FAILURE_CODES } from '#shared/scans/scan-contract.ts';
import type { ScanStore } from '../scans/scan-store.ts';
import { publishAfterCommit, type EventPublisher } from '../webhooks/publish-events.ts';
import { scanEndedEvents } from '../webhooks/scan-events.ts';

export const progressReportSchema = z.strictObject({
  stage: z.string().check(z.minLength(1), z.maxLength(64)),
  percent: z.int().check(z.gte(0), z.lte(100)),
});

export const failureReportSchema = z.strictObject({
  code: z.enum(FAILURE_CODES),
  reason: z.string().check(z.minLength(1), z.maxLength(2000)),
});

interface Deps {
  scans: ScanStore;
  events: EventPublisher;
  now: () => Date;
}

function assertOwnScan(actor: Principal, scanId: string): void {
  if (actor.scanId !== scanId) throw new ForbiddenError('Only the scan’s own task may report on it');
}

export async function reportProgress(actor: Principal, scanId: string, progress: z.infer<typeof progressReportSchema>, deps: Deps): Promise<void> {
  assertOwnScan(actor, scanId);
  const updated = await deps.scans.transitionScan(actor.orgId, scanId, ['IN_PROGRESS'], { progress, updatedAt: deps.now().toISOString() });
  if (!updated) throw new NotFoundError(`Scan ${scanId} is not running`);
}

export async function reportFailure(actor: Principal, scanId: string, failure: z.infer<typeof failureReportSchema>, deps: Deps): Promise<void> {
  assertOwnScan(actor, scanId);
  await failScan(actor.orgId, scanId, failure, deps);
}

/** Marks an active scan FAILED with its reason; a scan that already ended keeps its outcome. */
export async function failScan(orgId: string, scanId: string, failure: z.infer<typeof failureReportSchema>, deps: Deps) {
  const at = deps.now().toISOString();
  const failed = await deps.scans.transitionScan(orgId, scanId, ['QUEUED', 'IN_PROGRESS'], { status: 'FAILED', failure, updatedAt: at, scannedAt: at });
  if (failed) await publishAfterCommit(deps.events, scanEndedEvents(failed));
  return failed;
}
