// The scan pipeline on one machine: the ECS endpoint that runs scanner tasks as child
// processes, the SQS event source feeding the dispatcher, the EventBridge rule that sends task
// stops to the task-events handler, the reaper's and the registry checks' schedules and the queue jobs. Same handlers as in AWS.
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../shared/logging/logger.ts';
import { SCANNER_TOOLS } from '../shared/scans/scanners.ts';
import { startLocalEcs } from './ecs-endpoint.ts';
import { startLocalQueueJobs } from './queue-jobs.ts';
import { startSqsEventSource } from './sqs-event-source.ts';

/** Environment variables the external scanners read: `<stem>_*` for each tool the scanner list names. */
const SCANNER_SETTINGS = new RegExp(
  `^(?:${Object.values(SCANNER_TOOLS)
    .map((tool) => tool.stem)
    .join('|')})_`,
);

/**
 * The local stack's own egress allowance: its registries live on loopback (Docker's rule for
 * 127.0.0.0/8). Added to HG_EGRESS_ALLOW; a deployment to AWS allows no loopback.
 */
export const LOOPBACK_EGRESS = '127.0.0.0/8,::1';

export interface LocalPipeline {
  /**
   * Stops taking scans from the queue, then stops the running tasks with `reason` and waits
   * until their task-stopped events have failed their scans: nothing is left IN_PROGRESS.
   */
  stop(reason?: string): Promise<void>;
  /**
   * Resolves when the dispatcher next finishes a batch holding a message for `scanId`: `retried`
   * when the message was left in the queue (the scan deferred at a cap, or a failure), `done`
   * when it was consumed. Tests that assert a decision the dispatcher made wait for this.
   */
  nextDispatch(scanId: string): Promise<'retried' | 'done'>;
  /** Resolves once the task has exited and its task-stopped event has been handled. */
  taskStopped(taskArn: string): Promise<void>;
}

type DispatchListener = (event: SQSEvent, retried: Set<string>) => void;

function scanIdOf(body: string): unknown {
  try {
    return (JSON.parse(body) as { scanId?: unknown }).scanId;
  } catch {
    return undefined;
  }
}

/**
 * Call before anything builds the handlers' dependencies: it sets the ECS endpoint they use.
 * With `recoverInterruptedScans` (a restart on existing data), scans the last run left queued or
 * running are queued again before the first message is taken.
 */
export async function startLocalPipeline(options: {
  apiUrl: string;
  reaperIntervalMs?: number;
  visibilityTimeoutSeconds?: number;
  recoverInterruptedScans?: boolean;
}): Promise<LocalPipeline> {
  let onTaskStopped: (event: unknown) => Promise<unknown> = async () => undefined;
  // Tasks get the advisory snapshot (a file named by HARBORGUARD_DB), the local-sources folder
  // (HG_LOCAL_SOURCES_DIR: their own copy of the setting, which they enforce again) and the external
  // scanners' own settings (TRIVY_CACHE_DIR, GRYPE_DB_CACHE_DIR…) the way the Fargate image's ENV gives them.
  const taskEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined &&
        (entry[0] === 'HARBORGUARD_DB' || entry[0] === 'HG_LOCAL_SOURCES_DIR' || entry[0] === 'HG_EGRESS_ALLOW' || SCANNER_SETTINGS.test(entry[0])),
    ),
  );
  const ecs = await startLocalEcs({ onTaskStopped: (event) => onTaskStopped(event), taskEnv });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_ECS: ecs.url,
    HG_API_URL: options.apiUrl,
    SCANNER_CLUSTER: process.env.SCANNER_CLUSTER ?? 'harborguard-local',
    SCANNER_TASK_DEFINITION: process.env.SCANNER_TASK_DEFINITION ?? 'harborguard-scanner',
  });
  const [{ handler: dispatcher }, { handler: reaper }, { handler: taskEvents }, { handler: registryCheck }] = await Promise.all([
    import('../functions/jobs/dispatcher/handler.ts'),
    import('../functions/jobs/reaper/handler.ts'),
    import('../functions/jobs/task-events/handler.ts'),
    import('../functions/jobs/registry-check/handler.ts'),
  ]);
  onTaskStopped = taskEvents;
  if (options.recoverInterruptedScans) {
    const { recoverInterruptedScans } = await import('../functions/domain/pipeline/recover-interrupted-scans.ts');
    const { apiDependencies } = await import('../functions/composition/api.ts');
    const recovered = await recoverInterruptedScans(apiDependencies());
    if (recovered.queued + recovered.running > 0) {
      logger.info('queued interrupted scans again', recovered);
    }
  }
  const dispatchListeners = new Set<DispatchListener>();
  const notify = (event: SQSEvent, retried: Set<string>) => {
    for (const listener of [...dispatchListeners]) listener(event, retried);
  };
  const source = startSqsEventSource({
    client: new SQSClient({}),
    queueUrl: process.env.SCAN_QUEUE_URL!,
    async handler(event): Promise<SQSBatchResponse> {
      let response: SQSBatchResponse;
      try {
        response = await dispatcher(event);
      } catch (error) {
        // A thrown handler leaves the whole batch in the queue.
        notify(event, new Set(event.Records.map((record) => record.messageId)));
        throw error;
      }
      notify(event, new Set(response.batchItemFailures.map((failure) => failure.itemIdentifier)));
      return response;
    },
    visibilityTimeoutSeconds: options.visibilityTimeoutSeconds ?? 5,
  });
  const ingest = await startLocalQueueJobs();
  const reaperTimer = setInterval(
    () => void reaper().catch((error: Error) => logger.error('local reaper failed', { error })),
    options.reaperIntervalMs ?? 15_000,
  );
  reaperTimer.unref();
  // Daily, as deployed (infra/job-settings.ts): the watched tags' registry checks.
  const registryCheckTimer = setInterval(
    () => void registryCheck().catch((error: Error) => logger.error('local registry check failed', { error })),
    24 * 3_600_000,
  );
  registryCheckTimer.unref();
  return {
    async stop(reason = 'The local stack stopped') {
      clearInterval(reaperTimer);
      clearInterval(registryCheckTimer);
      await source.stop();
      await ingest.stop();
      await ecs.close(reason);
    },
    nextDispatch(scanId) {
      return new Promise((resolve) => {
        const listener: DispatchListener = (event, retried) => {
          const record = event.Records.find((r) => scanIdOf(r.body) === scanId);
          if (!record) return;
          dispatchListeners.delete(listener);
          resolve(retried.has(record.messageId) ? 'retried' : 'done');
        };
        dispatchListeners.add(listener);
      });
    },
    taskStopped: (taskArn) => ecs.taskStopped(taskArn),
  };
}
