// A re-match run: when a snapshot is published, every watched tag whose current scan was matched
// against another snapshot is re-matched against it (docs/WATCH.md). Planning lists the tags and
// queues them in batches; each batch is worked by the watch job, which adds its counts to the
// run. Counting is idempotent per batch: a redelivered batch re-matches nothing twice
// (rematchScan is idempotent per tag and snapshot) and its counts are added once.
import { randomBytes } from 'node:crypto';
import type { AdvisoryIndex } from '#shared/matching/match-packages.ts';
import { logger } from '#shared/logging/logger.ts';
import type { IngestDeps } from '../scans/ingest-envelope.ts';
import type { SnapshotIdentity } from './rematch.ts';
import { rematchScan } from './rematch-scan.ts';
import { WATCH_SHARDS, type TagState, type TagStateStore } from './tag-state.ts';

/** Tags per queued batch: a batch's re-matches finish well inside the job's timeout. */
export const BATCH_SIZE = 50;
export const DEFAULT_WINDOW_DAYS = 30;

export const RUN_COUNTS = ['rematched', 'unchanged', 'skipped', 'failed'] as const;
export type RunCounts = Record<(typeof RUN_COUNTS)[number], number>;

export interface WatchRun {
  id: string;
  snapshot: SnapshotIdentity;
  startedAt: string;
  /** Tags listed, and those already matched against this snapshot (nothing queued for them). */
  watched: number;
  upToDate: number;
  batches: number;
  batchesDone: number;
  counts: RunCounts;
  /** Set when the last batch is done. */
  finishedAt: string | null;
}

export interface RematchBatch {
  runId: string;
  /** Its place in the run: counted once, however often it is delivered. */
  batch: number;
  snapshot: SnapshotIdentity;
  tags: Array<Pick<TagState, 'orgId' | 'tagId' | 'scanId'>>;
}

export interface WatchRunStore {
  createRun(run: WatchRun): Promise<void>;
  getRun(runId: string): Promise<WatchRun | undefined>;
  /** Adds a batch's counts unless that batch was already counted; the run as it is afterwards (finishedAt set by the last batch). */
  countBatch(runId: string, batch: number, counts: RunCounts, at: Date): Promise<WatchRun | undefined>;
}

export interface WatchQueue {
  sendBatches(batches: RematchBatch[]): Promise<void>;
}

export interface PlanDeps {
  tagStates: TagStateStore;
  runs: WatchRunStore;
  watchQueue: WatchQueue;
  now: () => Date;
}

async function listShard(tagStates: TagStateStore, shard: number, since: string): Promise<TagState[]> {
  const tags: TagState[] = [];
  let after: string | undefined;
  do {
    const page = await tagStates.listWatchedTags(shard, since, after);
    tags.push(...page.tags);
    after = page.next;
  } while (after);
  return tags;
}

export async function planRun(snapshot: SnapshotIdentity, deps: PlanDeps, windowDays = DEFAULT_WINDOW_DAYS): Promise<WatchRun> {
  const now = deps.now();
  const since = new Date(now.getTime() - windowDays * 86_400_000).toISOString();
  const watched = (await Promise.all(Array.from({ length: WATCH_SHARDS }, (_, shard) => listShard(deps.tagStates, shard, since)))).flat();
  const due = watched.filter((tag) => tag.snapshotHash !== snapshot.contentHash);
  const id = `run_${now.getTime().toString(36)}${randomBytes(4).toString('hex')}`;
  const batches: RematchBatch[] = [];
  for (let i = 0; i < due.length; i += BATCH_SIZE) {
    batches.push({
      runId: id,
      batch: batches.length,
      snapshot,
      tags: due.slice(i, i + BATCH_SIZE).map(({ orgId, tagId, scanId }) => ({ orgId, tagId, scanId })),
    });
  }
  const run: WatchRun = {
    id,
    snapshot,
    startedAt: now.toISOString(),
    watched: watched.length,
    upToDate: watched.length - due.length,
    batches: batches.length,
    batchesDone: 0,
    counts: { rematched: 0, unchanged: 0, skipped: 0, failed: 0 },
    finishedAt: batches.length === 0 ? now.toISOString() : null,
  };
  await deps.runs.createRun(run);
  await deps.watchQueue.sendBatches(batches);
  return run;
}

const OUTCOME_COUNT = {
  rematched: 'rematched',
  'same-findings': 'unchanged',
  'same-snapshot': 'unchanged',
  'already-rematched': 'unchanged',
  'not-complete': 'skipped',
  'no-inventory': 'skipped',
} as const;

export async function workBatch(batch: RematchBatch, index: AdvisoryIndex, deps: IngestDeps & { runs: WatchRunStore }): Promise<RunCounts> {
  const counts: RunCounts = { rematched: 0, unchanged: 0, skipped: 0, failed: 0 };
  // One tag at a time: DynamoDB and the matcher are the work, and a batch fits the job's time either way.
  for (const tag of batch.tags) {
    try {
      const result = await rematchScan(tag.orgId, tag.scanId, index, batch.snapshot, deps);
      counts[OUTCOME_COUNT[result.outcome]] += 1;
    } catch (error) {
      // One tag's failure (a conflicting upload, a damaged artifact) does not hold back the others; the next run retries it.
      logger.error('re-match failed', { orgId: tag.orgId, scanId: tag.scanId, runId: batch.runId, error: error as Error });
      counts.failed += 1;
    }
  }
  await deps.runs.countBatch(batch.runId, batch.batch, counts, deps.now());
  return counts;
}
