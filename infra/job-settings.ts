// How each job function (functions/jobs/<name>/handler.ts) is deployed: its trigger, what it
// may touch, its size. A job without a line here fails the synth: access is never implied.
import type { Duration } from 'aws-cdk-lib';
import type { Access } from './constructs/access.ts';

export type JobTrigger =
  /** The scan queue's event source (partial batch responses, bounded concurrency). */
  | { kind: 'scan-queue'; batchSize: number; maxConcurrency: number }
  /** The ingest queue's event source, likewise. */
  | { kind: 'ingest-queue'; batchSize: number; maxConcurrency: number }
  /** The webhook queue's event source, likewise. */
  | { kind: 'webhook-queue'; batchSize: number; maxConcurrency: number }
  /** The watch queue's event source (runs to plan, their batches), likewise. */
  | { kind: 'watch-queue'; batchSize: number; maxConcurrency: number }
  /** EventBridge: a scanner task of this deployment stopped. */
  | { kind: 'ecs-task-stopped' }
  /** EventBridge schedule, e.g. `rate(5 minutes)`. */
  | { kind: 'schedule'; expression: string };

export interface JobSettings {
  trigger: JobTrigger;
  access: Access[];
  memorySize?: number;
  timeout?: Duration;
  /** /tmp, in MiB (Lambda's default is 512). */
  ephemeralStorageMiB?: number;
}

export const JOB_SETTINGS: Record<string, JobSettings> = {
  // Starts scanner tasks: reads/moves scans, mints their upload keys, runs the task definition.
  // Five concurrent batches of ten keep RunTask far below its API rate limit.
  dispatcher: { trigger: { kind: 'scan-queue', batchSize: 10, maxConcurrency: 5 }, access: ['table', 'scanner:run'] },
  // Fails overdue scans and stops their tasks.
  reaper: { trigger: { kind: 'schedule', expression: 'rate(5 minutes)' }, access: ['table', 'scanner:stop', 'webhook-queue:send'] },
  // Fails a scan whose task stopped with an error.
  'task-events': { trigger: { kind: 'ecs-task-stopped' }, access: ['table', 'webhook-queue:send'] },
  // Ingests large uploads: reads them back from uploads/, writes the scan's artifacts and items.
  // One request a batch (each may take minutes and 2 GB); five at a time spread DynamoDB's load.
  ingest: {
    trigger: { kind: 'ingest-queue', batchSize: 1, maxConcurrency: 5 },
    access: ['table', 'artifacts:write', 'envelope-uploads', 'webhook-queue:send'],
    memorySize: 3008,
  },
  // Fans events out and posts deliveries (outbound HTTPS only, through the egress policy); opens
  // signing secrets with the sealing key; schedules retries on its own queue.
  'webhook-delivery': {
    trigger: { kind: 'webhook-queue', batchSize: 10, maxConcurrency: 10 },
    access: ['table', 'registry-key', 'webhook-queue:send', 'webhook-dlq:send'],
  },
  // Plans re-match runs and works their batches: reads the published snapshot (kept in /tmp
  // across a warm container's invocations) and the base scans' artifacts, stores changed
  // re-matches as scans (their artifacts too), queues batches, publishes their events. One
  // message a batch (a plan, or 50 tags); ten workers spread a run of 100,000 tags over 2,000
  // batches (docs/DEPLOY.md).
  rematch: {
    trigger: { kind: 'watch-queue', batchSize: 1, maxConcurrency: 10 },
    // Registry checks also open stored credentials and queue the scans of tags that moved.
    access: ['table', 'artifacts:read', 'artifacts:write', 'advisories:read', 'watch-queue:send', 'webhook-queue:send', 'registry-key', 'queue:send'],
    memorySize: 2048,
    ephemeralStorageMiB: 2048,
  },
  // Lists the watched tags once a day and queues them to be checked against their registries.
  'registry-check': { trigger: { kind: 'schedule', expression: 'rate(1 day)' }, access: ['table', 'watch-queue:send'] },
};

/** A job's settings; its trigger must be the one functions/jobs/job-functions.ts lists. */
export function jobSettings(name: string, listedTrigger: JobTrigger['kind']): JobSettings {
  const settings = JOB_SETTINGS[name];
  // A job has no safe default trigger: without settings it cannot be deployed.
  if (!settings) throw new Error(`infra/job-settings.ts: job ${name} has no trigger and access declared`);
  if (settings.trigger.kind !== listedTrigger)
    throw new Error(`infra/job-settings.ts: job ${name} is triggered by ${listedTrigger} in functions/jobs/job-functions.ts, not ${settings.trigger.kind}`);
  return settings;
}
