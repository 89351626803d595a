// Every non-HTTP Lambda, listed once: the CDK stack and the local stack both read this.
export interface JobFunction {
  name: string;
  /** The handler module, relative to functions/jobs/. */
  entry: string;
  /** What invokes it: one of the queues, a schedule, or ECS task state changes via EventBridge. */
  trigger: 'scan-queue' | 'ingest-queue' | 'webhook-queue' | 'watch-queue' | 'schedule' | 'ecs-task-stopped';
}

export const JOB_FUNCTIONS: JobFunction[] = [
  { name: 'dispatcher', entry: 'dispatcher/handler.ts', trigger: 'scan-queue' },
  { name: 'reaper', entry: 'reaper/handler.ts', trigger: 'schedule' },
  { name: 'task-events', entry: 'task-events/handler.ts', trigger: 'ecs-task-stopped' },
  { name: 'ingest', entry: 'ingest/handler.ts', trigger: 'ingest-queue' },
  { name: 'webhook-delivery', entry: 'webhook-delivery/handler.ts', trigger: 'webhook-queue' },
  { name: 'rematch', entry: 'rematch/handler.ts', trigger: 'watch-queue' },
  { name: 'registry-check', entry: 'registry-check/handler.ts', trigger: 'schedule' },
];
