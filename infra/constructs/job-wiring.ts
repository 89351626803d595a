// Turns each job of functions/jobs/job-functions.ts into a function with the trigger and access
// of infra/job-settings.ts: the scan or ingest queue's event source, the scanner task-state
// rule, or a schedule.
import { Duration, Size } from 'aws-cdk-lib';
import { Rule, Schedule, type EventPattern } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { join } from 'node:path';
import type { JobFunction } from '../../functions/jobs/job-functions.ts';
import { jobEnvironment, type DeployedValues } from '../function-environment.ts';
import { jobSettings } from '../job-settings.ts';
import {
  INGEST_QUEUE_CONSUMER_TIMEOUT,
  SCAN_QUEUE_CONSUMER_TIMEOUT,
  WATCH_QUEUE_CONSUMER_TIMEOUT,
  WEBHOOK_QUEUE_CONSUMER_TIMEOUT,
} from '../stacks/stateful-stack.ts';
import { grantAccess, type AccessTargets } from './access.ts';
import { HarborFunction } from './harbor-function.ts';

const CONSUMER_TIMEOUT: Partial<Record<JobFunction['trigger'], Duration>> = {
  'scan-queue': SCAN_QUEUE_CONSUMER_TIMEOUT,
  'ingest-queue': INGEST_QUEUE_CONSUMER_TIMEOUT,
  'webhook-queue': WEBHOOK_QUEUE_CONSUMER_TIMEOUT,
  'watch-queue': WATCH_QUEUE_CONSUMER_TIMEOUT,
};

const QUEUE_OF = {
  'ingest-queue': (targets: AccessTargets) => targets.ingestQueue,
  'webhook-queue': (targets: AccessTargets) => targets.webhookQueue,
  'watch-queue': (targets: AccessTargets) => targets.watchQueue,
};

export interface JobWiringProps {
  jobs: JobFunction[];
  jobsRoot: string;
  targets: AccessTargets;
  /** Every deployed variable's value; each job gets its own list of them. */
  values: DeployedValues;
  /** The EventBridge pattern of "a scanner task of this deployment stopped". */
  taskStopped: EventPattern;
}

export class JobWiring extends Construct {
  readonly functions = new Map<string, HarborFunction>();
  private taskStoppedRule?: Rule;

  constructor(scope: Construct, id: string, props: JobWiringProps) {
    super(scope, id);
    for (const job of props.jobs) {
      const settings = jobSettings(job.name, job.trigger);
      const fn = new HarborFunction(this, job.name, {
        entry: join(props.jobsRoot, job.entry),
        description: `HarborGuard job: ${job.name}`,
        memorySize: settings.memorySize ?? 512,
        // A queue consumer's timeout is fixed by the queue's visibility timeout (stateful stack).
        timeout: CONSUMER_TIMEOUT[settings.trigger.kind] ?? settings.timeout ?? Duration.minutes(1),
        environment: jobEnvironment(job.name, props.values),
        ...(settings.ephemeralStorageMiB ? { ephemeralStorage: Size.mebibytes(settings.ephemeralStorageMiB) } : {}),
      });
      grantAccess(fn, settings.access, props.targets);
      const trigger = settings.trigger;
      switch (trigger.kind) {
        case 'scan-queue':
          fn.addEventSource(
            new SqsEventSource(props.targets.scanQueue, {
              batchSize: trigger.batchSize,
              maxConcurrency: trigger.maxConcurrency,
              reportBatchItemFailures: true,
            }),
          );
          break;
        case 'ingest-queue':
        case 'webhook-queue':
        case 'watch-queue':
          fn.addEventSource(
            new SqsEventSource(QUEUE_OF[trigger.kind](props.targets), {
              batchSize: trigger.batchSize,
              maxConcurrency: trigger.maxConcurrency,
              reportBatchItemFailures: true,
            }),
          );
          break;
        case 'ecs-task-stopped':
          this.taskStoppedRule ??= new Rule(this, 'ScannerTaskStopped', { description: 'A HarborGuard scanner task stopped', eventPattern: props.taskStopped });
          this.taskStoppedRule.addTarget(new LambdaFunction(fn, { retryAttempts: 4 }));
          break;
        case 'schedule':
          new Rule(this, `${job.name}Schedule`, { schedule: Schedule.expression(trigger.expression), targets: [new LambdaFunction(fn)] });
          break;
      }
      this.functions.set(job.name, fn);
    }
  }
}
