// The watch queue's messages (WatchMessage), checked on receipt, and what the re-match job does
// with each: plan a run against the snapshot published now, work one of its batches, or check
// a batch of tags against their registries.
import * as z from '#shared/validation.ts';
import type { IngestDeps } from '../scans/ingest-envelope.ts';
import { checkTags, type CheckDeps } from './registry-check.ts';
import { planRun, workBatch, type PlanDeps, type WatchMessage } from './rematch-run.ts';
import type { SnapshotSource } from './snapshot-source.ts';

const snapshotIdentity = z.object({ builtAt: z.string(), contentHash: z.string(), advisories: z.optional(z.number()) });

export const watchMessageSchema: z.ZodMiniType<WatchMessage> = z.union([
  z.object({
    kind: z.literal('plan'),
    requestId: z.string().check(z.minLength(1)),
    requestedAt: z.iso.datetime({ offset: true }),
    trigger: z.union([z.object({ kind: z.literal('snapshot') }), z.object({ kind: z.literal('manual'), requestedBy: z.string() })]),
    orgId: z.optional(z.string()),
  }),
  z.object({
    kind: z.literal('batch'),
    runId: z.string(),
    orgId: z.string(),
    batch: z.int(),
    snapshot: snapshotIdentity,
    tags: z.array(z.object({ tagId: z.string(), scanId: z.string() })),
  }),
  z.object({ kind: z.literal('check'), orgId: z.string(), tags: z.array(z.object({ tagId: z.string(), scanId: z.string() })) }),
]);

export type WatchJobDeps = IngestDeps & PlanDeps & CheckDeps & { snapshots: SnapshotSource };

export async function handleWatchMessage(message: WatchMessage, deps: WatchJobDeps): Promise<void> {
  if (message.kind === 'check') {
    await checkTags(message, deps);
    return;
  }
  const snapshot = await deps.snapshots.current();
  if (!snapshot) {
    // Planned before any snapshot was published (a manual run on a fresh deployment): nothing to match against.
    if (message.kind === 'plan') return;
    throw new Error('no advisory snapshot is published, yet a batch of a run was queued');
  }
  if (message.kind === 'plan') {
    const { builtAt, contentHash, advisories } = snapshot.header;
    await planRun(message, { builtAt, contentHash, advisories }, deps);
  } else {
    await workBatch(message, snapshot, deps);
  }
}
