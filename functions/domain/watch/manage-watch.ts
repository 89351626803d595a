// What an organisation's admins and members do with re-matching through the API: start a run by
// hand (one per organisation per 5 minutes, planned by the re-match job like a snapshot's), and
// read the organisation's runs with their progress and counts.
import { randomUUID } from 'node:crypto';
import { RateLimitedError } from '#shared/errors.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import { MANUAL_WATCH_RUNS, type RateLimiter } from '../rate-limit/rate-limiter.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import { runIdOf, type PlanRequest, type WatchQueue, type WatchRun, type WatchRunStore } from './rematch-run.ts';

export interface ManageWatchDeps {
  watchRuns: WatchRunStore;
  watchQueue: WatchQueue;
  rateLimiter: RateLimiter;
  triage: TriageStore;
  now: () => Date;
}

/** Queues a run of the organisation's watched tags; the id its run will have once planned. */
export async function requestWatchRun(actor: Principal, deps: ManageWatchDeps): Promise<{ runId: string; requestedAt: string }> {
  // Per organisation, not per credential: every admin's run re-reads the same tags.
  const grant = await deps.rateLimiter.consume(MANUAL_WATCH_RUNS, `org:${actor.orgId}`, deps.now);
  if (!grant.allowed) throw new RateLimitedError(`A re-match run was started less than ${MANUAL_WATCH_RUNS.windowSeconds / 60} minutes ago`, grant);
  const request: PlanRequest = {
    kind: 'plan',
    requestId: randomUUID(),
    requestedAt: deps.now().toISOString(),
    trigger: { kind: 'manual', requestedBy: actorName(actor) },
    orgId: actor.orgId,
  };
  await deps.watchQueue.send([request]);
  const runId = runIdOf(request);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'watch-run.start', target: runId });
  return { runId, requestedAt: request.requestedAt };
}

export function listWatchRuns(
  actor: Principal,
  page: { limit: number; after?: string },
  deps: Pick<ManageWatchDeps, 'watchRuns'>,
): Promise<{ runs: WatchRun[]; next?: string }> {
  return deps.watchRuns.listRuns(actor.orgId, page.limit, page.after);
}
