// Ending scans from outside the task: a user cancels, the reaper gives up on overdue scans,
// and ECS reports a task that stopped with an error.
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import { logger } from '#shared/logging/logger.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import type { ScanStore } from '../scans/scan-store.ts';
import { publishAfterCommit, type EventPublisher } from '../webhooks/publish-events.ts';
import { scanEndedEvents } from '../webhooks/scan-events.ts';
import type { TaskStopper } from './scan-runner.ts';
import { failScan } from './task-reports.ts';

interface Deps {
  scans: ScanStore;
  events: EventPublisher;
  runner: TaskStopper;
  now: () => Date;
}

export async function cancelScan(actor: Principal, scanId: string, deps: Deps): Promise<void> {
  const at = deps.now().toISOString();
  const cancelled = await deps.scans.transitionScan(actor.orgId, scanId, ['QUEUED', 'IN_PROGRESS'], { status: 'CANCELLED', updatedAt: at });
  if (!cancelled) {
    const scan = await deps.scans.getScan(actor.orgId, scanId);
    if (!scan) throw new NotFoundError(`Scan ${scanId} not found`);
    throw new ConflictError(`Scan ${scanId} is already ${scan.status}`);
  }
  await publishAfterCommit(deps.events, scanEndedEvents(cancelled));
  if (cancelled.taskArn) await stopTaskIfRunning(deps.runner, cancelled.taskArn, `Scan cancelled by ${actorName(actor)}`);
}

/**
 * Stops a scan's task. The scan's own state already changed; a task that is already gone (it
 * finished, crashed, or its runner restarted) is not an error for the user.
 */
export async function stopTaskIfRunning(runner: TaskStopper, taskArn: string, reason: string): Promise<void> {
  await runner.stopTask(taskArn, reason).catch((error: Error) => {
    logger.info('task not stopped', { taskArn, detail: error.message });
  });
}

/** Fails every active scan past its deadline; how many it failed. */
export async function reapOverdueScans(deps: Deps, batch = 100): Promise<number> {
  const now = deps.now().toISOString();
  let reaped = 0;
  for (const scan of await deps.scans.listOverdueScans(now, batch)) {
    const failure =
      scan.status === 'QUEUED'
        ? { code: 'NOT_STARTED' as const, reason: `The scan waited in the queue past its deadline (${scan.deadline}) without starting` }
        : { code: 'TIMED_OUT' as const, reason: `The scan did not finish before its deadline (${scan.deadline})` };
    const failed = await failScan(scan.orgId, scan.id, failure, deps);
    if (!failed) continue;
    reaped += 1;
    if (failed.taskArn) await stopTaskIfRunning(deps.runner, failed.taskArn, failure.reason);
  }
  return reaped;
}

/** ECS says a scanner task stopped. A non-zero exit fails its scan, unless the scan already ended. */
export async function handleTaskStopped(
  stopped: { orgId: string; scanId: string; exitCode: number | null; stoppedReason: string },
  deps: Omit<Deps, 'runner'>,
): Promise<boolean> {
  if (stopped.exitCode === 0) return false;
  const detail = stopped.exitCode === null ? 'without an exit code' : `with exit code ${stopped.exitCode}`;
  const failed = await failScan(
    stopped.orgId,
    stopped.scanId,
    { code: 'SCANNER_CRASHED', reason: `The scanner task stopped ${detail}: ${stopped.stoppedReason}` },
    deps,
  );
  return failed !== undefined;
}
