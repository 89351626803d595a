// A re-match run: when a snapshot is published, every watched tag whose current scan was matched
// against another snapshot is re-matched against it (docs/WATCH.md). Planning lists the tags,
// records one run per organisation and queues its tags in batches; each batch is worked by the
// re-match job, which adds its counts to its organisation's run. Counting is idempotent per batch:
// a redelivered batch re-matches nothing twice (rematchScan is idempotent per tag and snapshot)
// and its counts are added once.
import { createHash } from 'node:crypto';
import type { AdvisoryIndex } from '#shared/matching/match-packages.ts';
import { mapPool } from '#shared/concurrency/map-pool.ts';
import { logger } from '#shared/logging/logger.ts';
import type { IngestDeps } from '../scans/ingest-envelope.ts';
import type { SnapshotIdentity } from './rematch.ts';
import { rematchScan } from './rematch-scan.ts';
import type { RegistryCheckBatch } from './registry-check.ts';
import { WATCH_SHARDS, type TagState, type TagStateStore } from './tag-state.ts';
import { DEFAULT_WATCH_SETTINGS, MAX_WINDOW_DAYS, type WatchSettings, type WatchSettingsStore } from './watch-settings.ts';

/** Tags per queued batch: a batch's re-matches finish well inside the job's timeout. */
export const BATCH_SIZE = 50;

export const RUN_COUNTS = ['rematched', 'unchanged', 'skipped', 'failed'] as const;
export type RunCounts = Record<(typeof RUN_COUNTS)[number], number>;
const noCounts = (): RunCounts => ({ rematched: 0, unchanged: 0, skipped: 0, failed: 0 });

/** What started a run: a published snapshot (every organisation), or an admin (theirs alone). */
export type RunTrigger = { kind: 'snapshot' } | { kind: 'manual'; requestedBy: string };

/** One organisation's part of a run. */
export interface WatchRun {
  id: string;
  orgId: string;
  trigger: RunTrigger;
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

/** A run to plan: the message a published snapshot (through EventBridge) or POST /api/watch/run puts on the watch queue. */
export interface PlanRequest {
  kind: 'plan';
  /** Names the request (the event's id): a redelivered request plans the same run, once. */
  requestId: string;
  requestedAt: string;
  trigger: RunTrigger;
  /** A manual run plans one organisation. */
  orgId?: string;
}

export interface RematchBatch {
  kind: 'batch';
  runId: string;
  orgId: string;
  /** Its place in the organisation's run: counted once, however often it is delivered. */
  batch: number;
  snapshot: SnapshotIdentity;
  tags: Array<Pick<TagState, 'tagId' | 'scanId'>>;
}

export type WatchMessage = PlanRequest | RematchBatch | RegistryCheckBatch;

export interface WatchRunStore {
  /** Records the run unless a run of that id exists already for the organisation; false then. */
  createRun(run: WatchRun): Promise<boolean>;
  getRun(orgId: string, runId: string): Promise<WatchRun | undefined>;
  /** The organisation's runs, newest first. */
  listRuns(orgId: string, limit: number, after?: string): Promise<{ runs: WatchRun[]; next?: string }>;
  /** Adds a batch's counts unless that batch was already counted; the run as it is afterwards (finishedAt set by the last batch). */
  countBatch(orgId: string, runId: string, batch: number, counts: RunCounts, at: Date): Promise<WatchRun | undefined>;
}

export interface WatchQueue {
  send(messages: WatchMessage[]): Promise<void>;
}

export interface PlanDeps {
  tagStates: TagStateStore;
  watchSettings: WatchSettingsStore;
  runs: WatchRunStore;
  watchQueue: WatchQueue;
  now: () => Date;
}

/** Time-ordered (an organisation's runs list newest first by id) and the same for every delivery of a request. */
export const runIdOf = (request: Pick<PlanRequest, 'requestId' | 'requestedAt'>) =>
  `run_${Date.parse(request.requestedAt).toString(36).padStart(9, '0')}${createHash('sha256').update(request.requestId).digest('hex').slice(0, 10)}`;

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

const sinceDays = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/** Each organisation's (or one organisation's) watched tags: scanned within its window, or pinned; never muted. */
export async function watchedTags(orgId: string | undefined, deps: Pick<PlanDeps, 'tagStates' | 'watchSettings'>, now: Date): Promise<Map<string, TagState[]>> {
  const byOrg = new Map<string, TagState[]>();
  const customized = new Map<string, WatchSettings>();
  let listed: TagState[];
  if (orgId) {
    const settings = (await deps.watchSettings.getSettings(orgId)) ?? DEFAULT_WATCH_SETTINGS;
    customized.set(orgId, settings);
    listed = await deps.tagStates.listOrganizationTags(orgId, sinceDays(now, settings.windowDays));
  } else {
    for (const { orgId, settings } of await deps.watchSettings.listCustomized()) customized.set(orgId, settings);
    // Read once as wide as the widest window in use; each organisation keeps its own below.
    const widest = Math.min(MAX_WINDOW_DAYS, Math.max(DEFAULT_WATCH_SETTINGS.windowDays, ...[...customized.values()].map((s) => s.windowDays)));
    const since = sinceDays(now, widest);
    listed = (await Promise.all(Array.from({ length: WATCH_SHARDS }, (_, shard) => listShard(deps.tagStates, shard, since)))).flat();
  }
  const defaultSince = sinceDays(now, DEFAULT_WATCH_SETTINGS.windowDays);
  const sinceOf = new Map([...customized].map(([org, settings]) => [org, sinceDays(now, settings.windowDays)]));
  for (const tag of listed) {
    if (tag.scannedAt < (sinceOf.get(tag.orgId) ?? defaultSince)) continue;
    const tags = byOrg.get(tag.orgId);
    if (tags) tags.push(tag);
    else byOrg.set(tag.orgId, [tag]);
  }
  for (const [org, settings] of customized) {
    const tags = byOrg.get(org) ?? [];
    const seen = new Set(tags.map((tag) => tag.tagId));
    const pinned = await deps.tagStates.getTagStates(
      org,
      settings.pinned.map((pin) => pin.tagId).filter((tagId) => !seen.has(tagId)),
    );
    const muted = new Set(settings.muted.map((mute) => mute.tagId));
    const kept = [...tags, ...pinned].filter((tag) => !muted.has(tag.tagId));
    if (kept.length > 0) byOrg.set(org, kept);
    else byOrg.delete(org);
  }
  return byOrg;
}

/** Plans a run against `snapshot`; the runs recorded (none when the request was planned already). */
export async function planRun(request: PlanRequest, snapshot: SnapshotIdentity, deps: PlanDeps): Promise<WatchRun[]> {
  const now = deps.now();
  const id = runIdOf(request);
  const planned: WatchRun[] = [];
  for (const [orgId, watched] of await watchedTags(request.orgId, deps, now)) {
    const due = watched.filter((tag) => tag.snapshotHash !== snapshot.contentHash);
    const batches: RematchBatch[] = [];
    for (let i = 0; i < due.length; i += BATCH_SIZE) {
      const tags = due.slice(i, i + BATCH_SIZE).map(({ tagId, scanId }) => ({ tagId, scanId }));
      batches.push({ kind: 'batch', runId: id, orgId, batch: batches.length, snapshot, tags });
    }
    const run: WatchRun = {
      id,
      orgId,
      trigger: request.trigger,
      snapshot,
      startedAt: now.toISOString(),
      watched: watched.length,
      upToDate: watched.length - due.length,
      batches: batches.length,
      batchesDone: 0,
      counts: noCounts(),
      finishedAt: batches.length === 0 ? now.toISOString() : null,
    };
    // A redelivered request finds its runs recorded: their batches were queued the first time.
    if (!(await deps.runs.createRun(run))) continue;
    await deps.watchQueue.send(batches);
    planned.push(run);
  }
  logger.info('re-match run planned', { runId: id, organizations: planned.length, batches: planned.reduce((sum, run) => sum + run.batches, 0) });
  return planned;
}

/**
 * Tags of a batch re-matched at once. A tag is mostly waiting on DynamoDB (its scan, findings and
 * artifacts, then ingest's writes); the matcher's CPU share is small, so a few in flight keep the
 * worker busy without holding many inventories in memory.
 */
const TAGS_IN_FLIGHT = 8;

// A tag whose re-match scan for this snapshot exists was changed by it: by this batch on an
// earlier delivery (a worker that died before counting), or by a concurrent run of the snapshot.
const OUTCOME_COUNT = {
  rematched: 'rematched',
  'already-rematched': 'rematched',
  'same-findings': 'unchanged',
  'same-snapshot': 'unchanged',
  'not-complete': 'skipped',
  'no-inventory': 'skipped',
} as const;

/** Works a batch against `index`, the snapshot the worker holds; a batch of an older snapshot is left to the newer run (skipped). */
export async function workBatch(
  batch: RematchBatch,
  index: AdvisoryIndex & { header: SnapshotIdentity },
  deps: IngestDeps & { runs: WatchRunStore },
): Promise<RunCounts> {
  const counts = noCounts();
  // The worker fetched the published snapshot just now: one older than the batch's means a copy not yet visible to it, so the batch waits for a redelivery.
  if (index.header.builtAt < batch.snapshot.builtAt) throw new Error(`snapshot ${batch.snapshot.contentHash} is not the one this worker holds yet`);
  if (index.header.contentHash !== batch.snapshot.contentHash) {
    counts.skipped = batch.tags.length;
  } else {
    await mapPool(batch.tags, TAGS_IN_FLIGHT, async (tag) => {
      try {
        const result = await rematchScan(batch.orgId, tag.scanId, index, batch.snapshot, deps);
        counts[OUTCOME_COUNT[result.outcome]] += 1;
      } catch (error) {
        // One tag's failure (a conflicting upload, a damaged artifact) does not hold back the others; the next run retries it.
        logger.error('re-match failed', { orgId: batch.orgId, scanId: tag.scanId, runId: batch.runId, error: error as Error });
        counts.failed += 1;
      }
    });
  }
  await deps.runs.countBatch(batch.orgId, batch.runId, batch.batch, counts, deps.now());
  return counts;
}
