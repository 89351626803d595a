// The stateless control plane: one Lambda per route group behind the REST API, the job
// functions with their triggers, the rules for failed scanner and updater tasks, alarms and the
// dashboard.
import { Annotations, ArnFormat, Aws, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { Rule, type EventPattern } from 'aws-cdk-lib/aws-events';
import { CloudWatchLogGroup } from 'aws-cdk-lib/aws-events-targets';
import type { ICluster, TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { join } from 'node:path';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';
import { grantAccess, type AccessTargets } from '../constructs/access.ts';
import { EcrPushHook } from '../constructs/ecr-push-hook.ts';
import { HarborFunction } from '../constructs/harbor-function.ts';
import { HttpApi, STAGE_NAME } from '../constructs/http-api.ts';
import { JobWiring } from '../constructs/job-wiring.ts';
import { Monitoring } from '../constructs/monitoring.ts';
import type { JobFunction } from '../../functions/jobs/job-functions.ts';
import { HTTP_FUNCTIONS_DIR } from '../paths.ts';
import { routeGroupEnvironment, type DeployedValues } from '../function-environment.ts';
import { routeGroupSettings } from '../route-access.ts';
import { scannersInImage } from '../scanner-image.ts';
import type { Settings } from '../settings.ts';
import type { ScannerStack } from './scanner-stack.ts';
import { SCANNER_CONTAINER_NAME } from './scanner-stack.ts';
import type { StatefulStack } from './stateful-stack.ts';
import { DEFAULT_SNAPSHOT_KEY } from '#shared/snapshots/snapshot-location.ts';

export interface ApiStackProps extends StackProps {
  settings: Settings;
  stateful: StatefulStack;
  scanner: ScannerStack;
  jobs: JobFunction[];
  /** Where job entries are resolved (tests point it at fixtures). */
  jobsRoot: string;
}

export class ApiStack extends Stack {
  readonly httpApi: HttpApi;
  readonly httpFunctions = new Map<string, IFunction>();
  readonly jobFunctions: Map<string, IFunction>;
  readonly ecrPushHook?: EcrPushHook;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);
    const { stateful, scanner, settings } = props;
    const targets: AccessTargets = {
      table: stateful.table,
      artifacts: stateful.artifacts,
      scanQueue: stateful.scanQueue,
      ingestQueue: stateful.ingestQueue,
      webhookQueue: stateful.webhookQueue,
      webhookDeadLetterQueue: stateful.webhookDeadLetterQueue,
      watchQueue: stateful.watchQueue,
      sessionSecret: stateful.sessionSecret,
      registryKey: stateful.registryKey,
      scanner: { cluster: scanner.cluster, taskDefinition: scanner.taskDefinition },
    };
    // The REST API exists before any function so that functions can be told its URL (scanner
    // tasks upload to it) without a dependency cycle through the stage.
    this.httpApi = new HttpApi(this, 'Http', { rateLimit: settings.apiRateLimit, burstLimit: settings.apiBurstLimit });
    const api = this.httpApi.api;
    // Names, ARNs and limits only: the session secret's value is read from Secrets Manager at
    // init. Each function gets the part of this its factory reads (function-environment.ts).
    const values: DeployedValues = {
      TABLE_NAME: stateful.table.tableName,
      ARTIFACT_BUCKET: stateful.artifacts.bucketName,
      SCAN_QUEUE_URL: stateful.scanQueue.queueUrl,
      INGEST_QUEUE_URL: stateful.ingestQueue.queueUrl,
      WEBHOOK_QUEUE_URL: stateful.webhookQueue.queueUrl,
      WEBHOOK_DLQ_URL: stateful.webhookDeadLetterQueue.queueUrl,
      WATCH_QUEUE_URL: stateful.watchQueue.queueUrl,
      ADVISORY_SNAPSHOT_OBJECT: DEFAULT_SNAPSHOT_KEY,
      HG_SESSION_SECRET_ARN: stateful.sessionSecret.secretArn,
      HG_REGISTRY_KEY_ARN: stateful.registryKey.secretArn,
      // The stage is part of the path: clients must resolve routes relative to it (trailing slash).
      HG_API_URL: `https://${api.restApiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}/${STAGE_NAME}/`,
      HG_SCANNERS: scannersInImage(settings.scannerBuildArgs).join(','),
      SCANNER_CLUSTER: scanner.cluster.clusterArn,
      SCANNER_TASK_DEFINITION: scanner.taskDefinition.taskDefinitionArn,
      SCANNER_CONTAINER_NAME,
      SCANNER_SUBNETS: scanner.subnetIds.join(','),
      SCANNER_SECURITY_GROUPS: scanner.securityGroup.securityGroupId,
      // Public subnets without NAT: a task reaches registries through its own public IP.
      SCANNER_ASSIGN_PUBLIC_IP: 'true',
      HG_MAX_RUNNING_SCANS: String(settings.maxRunningScans),
      HG_MAX_RUNNING_SCANS_PER_ORG: String(settings.maxRunningScansPerOrg),
      HG_SCAN_TIMEOUT_SECONDS: String(settings.scanTimeoutSeconds),
      HG_MAX_QUEUED_SECONDS: String(settings.maxQueuedSeconds),
      // The scanner task's egress allowance, so that submissions are refused by the same policy.
      HG_EGRESS_ALLOW: settings.scannerEgressAllow.join(','),
    };

    for (const group of ROUTE_GROUPS) {
      const groupSettings = routeGroupSettings(group.name);
      const fn = new HarborFunction(this, `http-${group.name}`, {
        entry: join(HTTP_FUNCTIONS_DIR, group.entry),
        description: `HarborGuard API: ${group.name}`,
        environment: routeGroupEnvironment(group.name, values),
        ...(groupSettings.memorySize ? { memorySize: groupSettings.memorySize } : {}),
        ...(groupSettings.timeout ? { timeout: groupSettings.timeout } : {}),
      });
      grantAccess(fn, groupSettings.access, targets);
      if (!groupSettings.declared) {
        Annotations.of(fn).addWarningV2(
          'harborguard:undeclared-access',
          `Route group ${group.name} has no line in infra/route-access.ts: deployed with table and session-secret access only`,
        );
      }
      this.httpFunctions.set(group.name, fn);
      this.httpApi.addRouteGroup(group, fn);
    }

    const taskStopped = this.tasksStopped(scanner.cluster, scanner.taskDefinition);
    const jobs = new JobWiring(this, 'Jobs', {
      jobs: props.jobs,
      jobsRoot: props.jobsRoot,
      targets,
      taskStopped,
      values,
    });
    this.jobFunctions = jobs.functions;

    // Failed scanner and updater tasks (non-zero exit, or never started), kept as events for
    // diagnosis and counted by the ScansFailed and AdvisoryUpdateFailed alarms.
    const failureEvents = new LogGroup(this, 'ScannerFailureEvents', { retention: RetentionDays.THREE_MONTHS });
    const failed = (stopped: EventPattern): EventPattern => ({
      ...stopped,
      detail: { ...stopped.detail, $or: [{ containers: { exitCode: [{ 'anything-but': 0 }] } }, { stopCode: ['TaskFailedToStart'] }] },
    });
    const scannerFailures = new Rule(this, 'ScannerTaskFailed', {
      description: 'A HarborGuard scanner task stopped with an error',
      eventPattern: failed(taskStopped),
      targets: [new CloudWatchLogGroup(failureEvents)],
    });
    const updater = scanner.advisoryUpdater;
    const updaterFailures = new Rule(this, 'AdvisoryUpdaterFailed', {
      description: 'The HarborGuard advisory updater task stopped with an error',
      eventPattern: failed(this.tasksStopped(scanner.cluster, updater.taskDefinition)),
      targets: [new CloudWatchLogGroup(failureEvents)],
    });

    if (settings.ecrPushHook) this.ecrPushHook = new EcrPushHook(this, 'EcrPushHook', { apiUrl: values.HG_API_URL, ...settings.ecrPushHook });

    new Monitoring(this, 'Monitoring', {
      api: this.httpApi.api,
      httpFunctions: this.httpFunctions,
      jobFunctions: this.jobFunctions,
      scanQueue: stateful.scanQueue,
      deadLetterQueue: stateful.scanDeadLetterQueue,
      ingestDeadLetterQueue: stateful.ingestDeadLetterQueue,
      webhookDeadLetterQueue: stateful.webhookDeadLetterQueue,
      watchDeadLetterQueue: stateful.watchDeadLetterQueue,
      ...(this.ecrPushHook ? { ecrPushDeadLetterQueue: this.ecrPushHook.deadLetterQueue } : {}),
      scannerFailures,
      advisoryUpdater: { schedule: updater.schedule, failures: updaterFailures },
      ...(settings.alarmEmail ? { alarmEmail: settings.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: this.httpApi.api.url, description: 'Base URL of the HarborGuard API (append api/scans)' });
  }

  /**
   * "A task of this task definition stopped", any revision: scanner tasks and updater tasks share
   * the cluster, and neither's events concern the other's rules.
   */
  private tasksStopped(cluster: ICluster, taskDefinition: TaskDefinition): EventPattern {
    const family = this.formatArn({
      service: 'ecs',
      resource: 'task-definition',
      resourceName: `${taskDefinition.family}:`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    return {
      source: ['aws.ecs'],
      detailType: ['ECS Task State Change'],
      detail: { clusterArn: [cluster.clusterArn], taskDefinitionArn: [{ prefix: family }], lastStatus: ['STOPPED'] },
    };
  }
}
