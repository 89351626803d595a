// After the scan runner restarted (the local stack's `npm start`, whose tasks are child
// processes that end with it), the table still says which scans were waiting or running, but
// the queue messages and the tasks are gone. This puts every such scan back in the queue's
// hands: QUEUED scans get their message again; IN_PROGRESS scans, whose task no longer exists,
// go back to QUEUED with a progress note and are queued once more. The table is the source of
// truth, so a message that still exists (or one sent twice) is harmless: the dispatcher's
// QUEUED → IN_PROGRESS conditional write lets only one of them start a task.
import type { Scan } from '../scans/scan.ts';
import type { ScanQueue, ScanStore } from '../scans/scan-store.ts';
import type { PipelineSettings } from './pipeline-settings.ts';

interface Deps {
  scans: ScanStore;
  queue: ScanQueue;
  settings: Pick<PipelineSettings, 'maxQueuedMs'>;
  now: () => Date;
}

export const REQUEUED_STAGE = 'requeued: the scanner restarted before the scan finished';

/**
 * The reference the scan was submitted with, from what the scan records: registry/repository
 * with its tag or digest, or a local source by its path inside the local-sources folder (the
 * task resolves and checks it there, as submission did).
 */
function queuedReference(image: Scan['image']): string {
  return image.name + (image.tag ? `:${image.tag}` : '') + (image.digest ? `@${image.digest}` : '');
}

/**
 * Call before the runner starts any task: every IN_PROGRESS scan is taken to have lost its
 * task. Returns how many scans were queued again, by the state they were found in.
 */
export async function recoverInterruptedScans(deps: Deps): Promise<{ queued: number; running: number }> {
  const now = deps.now();
  const at = now.toISOString();
  const requeue: Scan[] = [];
  let running = 0;
  for (const scan of await deps.scans.listActiveScans()) {
    // A sensor's scan ran elsewhere and was uploaded: no task or queue message ever belonged to it.
    if (scan.source !== 'api') continue;
    if (scan.status === 'QUEUED') {
      requeue.push(scan);
      continue;
    }
    const queued = await deps.scans.transitionScan(scan.orgId, scan.id, ['IN_PROGRESS'], {
      status: 'QUEUED',
      taskArn: undefined,
      startedAt: undefined,
      progress: { stage: REQUEUED_STAGE, percent: 0 },
      // A fresh wait in the queue: the reaper must not fail it for the time its lost task ran.
      deadline: new Date(now.getTime() + deps.settings.maxQueuedMs).toISOString(),
      updatedAt: at,
    });
    if (!queued) continue; // it ended meanwhile (cancelled, or its failure was recorded)
    requeue.push(queued);
    running += 1;
  }
  if (requeue.length > 0) {
    await deps.queue.enqueue(
      requeue.map((scan) => ({
        scanId: scan.id,
        orgId: scan.orgId,
        image: queuedReference(scan.image),
        scanners: scan.scanners,
        requestedAt: scan.requestedAt,
      })),
    );
  }
  return { queued: requeue.length - running, running };
}
