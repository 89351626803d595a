// What a function may touch, as a short list beside each function (infra/route-access.ts,
// infra/job-settings.ts), turned here into IAM statements that name exact ARNs.
import { Arn, ArnFormat, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ICluster, TaskDefinition } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { LAYER_CACHE_OBJECTS } from '../../functions/adapters/s3/s3-layer-cache.ts';
import { RAW_OUTPUT_OBJECTS } from '../../functions/adapters/s3/s3-raw-outputs.ts';
import { DESIGN_INDEX_NAMES } from './design-table.ts';
import { ADVISORY_PREFIX, ARTIFACT_PREFIX, UPLOAD_PREFIX } from '../stacks/stateful-stack.ts';

export type Access =
  /** Items of the table (every HTTP function authenticates, rate-limits and records use). */
  | 'table'
  | 'artifacts:read'
  | 'artifacts:write'
  | 'artifacts:delete'
  /** Read (and pre-sign GETs of) scanners' raw outputs, orgs/<org>/scans/<scan>/raw/*, alone. */
  | 'raw-outputs:read'
  /** Pre-sign PUTs of large envelopes under uploads/ and read them back for ingest. */
  | 'envelope-uploads'
  /** Pre-sign GETs and PUTs of the organisations' layer-cache entries, layer-cache/*, for scanners (no task role has them). */
  | 'layer-cache'
  | 'queue:send'
  /** Send upload requests to the ingest job. */
  | 'ingest-queue:send'
  /** Publish webhook events (and schedule attempts) on the webhook queue. */
  | 'webhook-queue:send'
  /** Send deliveries that exhausted their retries to the webhook dead-letter queue. */
  | 'webhook-dlq:send'
  /** Queue re-match runs to plan and their batches on the watch queue. */
  | 'watch-queue:send'
  /** Read the published advisory snapshot (advisories/*). */
  | 'advisories:read'
  | 'session-secret'
  /** Read the key that seals registry passwords. */
  | 'registry-key'
  /** Start scanner tasks of this task definition in this cluster (RunTask, PassRole). */
  | 'scanner:run'
  /** Watch and stop this cluster's tasks. */
  | 'scanner:stop';

export interface AccessTargets {
  table: ITable;
  artifacts: IBucket;
  scanQueue: IQueue;
  ingestQueue: IQueue;
  webhookQueue: IQueue;
  webhookDeadLetterQueue: IQueue;
  watchQueue: IQueue;
  sessionSecret: ISecret;
  registryKey: ISecret;
  scanner: { cluster: ICluster; taskDefinition: TaskDefinition };
}

const ITEM_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export function grantAccess(fn: IFunction, access: readonly Access[], targets: AccessTargets): void {
  const add = (statement: PolicyStatement) => fn.addToRolePolicy(statement);
  const objects = (prefix: string) => targets.artifacts.arnForObjects(`${prefix}*`);
  for (const item of new Set(access)) {
    switch (item) {
      case 'table':
        add(new PolicyStatement({ actions: ITEM_ACTIONS, resources: [targets.table.tableArn] }));
        // Each list index by name: a new index in table-design.ts is granted on the next deploy.
        add(new PolicyStatement({ actions: ['dynamodb:Query'], resources: DESIGN_INDEX_NAMES.map((name) => `${targets.table.tableArn}/index/${name}`) }));
        break;
      case 'artifacts:read':
        add(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects(ARTIFACT_PREFIX)] }));
        break;
      case 'artifacts:write':
        add(new PolicyStatement({ actions: ['s3:PutObject'], resources: [objects(ARTIFACT_PREFIX)] }));
        break;
      case 'raw-outputs:read':
        add(new PolicyStatement({ actions: ['s3:GetObject'], resources: [targets.artifacts.arnForObjects(RAW_OUTPUT_OBJECTS)] }));
        break;
      case 'artifacts:delete':
        add(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [objects(ARTIFACT_PREFIX)] }));
        break;
      case 'envelope-uploads':
        // A pre-signed URL carries its signer's rights: PutObject here is what lets the sensor's PUT in.
        add(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [objects(UPLOAD_PREFIX)] }));
        break;
      case 'layer-cache':
        // Signing only: the function itself never reads or writes an entry; the scanner's GET and PUT carry these rights.
        add(new PolicyStatement({ actions: ['s3:GetObject', 's3:PutObject'], resources: [targets.artifacts.arnForObjects(LAYER_CACHE_OBJECTS)] }));
        break;
      case 'queue:send':
        add(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.scanQueue.queueArn] }));
        break;
      case 'ingest-queue:send':
        add(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.ingestQueue.queueArn] }));
        break;
      case 'webhook-queue:send':
        add(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.webhookQueue.queueArn] }));
        break;
      case 'webhook-dlq:send':
        add(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.webhookDeadLetterQueue.queueArn] }));
        break;
      case 'watch-queue:send':
        add(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [targets.watchQueue.queueArn] }));
        break;
      case 'advisories:read':
        add(new PolicyStatement({ actions: ['s3:GetObject'], resources: [objects(ADVISORY_PREFIX)] }));
        break;
      case 'session-secret':
        add(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [targets.sessionSecret.secretArn] }));
        break;
      case 'registry-key':
        add(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [targets.registryKey.secretArn] }));
        break;
      case 'scanner:run':
        grantRunTask(add, targets.scanner);
        break;
      case 'scanner:stop':
        grantScannerStop(add, targets.scanner);
        break;
    }
  }
}

/** RunTask of this task definition in this cluster, and PassRole of its roles to ECS only (also EventBridge's role for the advisory updater). */
export function grantRunTask(
  add: (statement: PolicyStatement) => void,
  { cluster, taskDefinition }: { cluster: ICluster; taskDefinition: TaskDefinition },
): void {
  add(
    new PolicyStatement({
      actions: ['ecs:RunTask'],
      resources: [taskDefinition.taskDefinitionArn],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    }),
  );
  const roles = [taskDefinition.taskRole.roleArn, ...(taskDefinition.executionRole ? [taskDefinition.executionRole.roleArn] : [])];
  add(new PolicyStatement({ actions: ['iam:PassRole'], resources: roles, conditions: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } } }));
}

function grantScannerStop(add: (statement: PolicyStatement) => void, { cluster }: AccessTargets['scanner']): void {
  // Task ARNs are minted by RunTask: the cluster's task ARN pattern is as narrow as IAM allows.
  const tasks = Arn.format(
    { service: 'ecs', resource: 'task', resourceName: `${cluster.clusterName}/*`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME },
    Stack.of(cluster),
  );
  add(
    new PolicyStatement({
      actions: ['ecs:DescribeTasks', 'ecs:StopTask'],
      resources: [tasks],
      conditions: { ArnEquals: { 'ecs:cluster': cluster.clusterArn } },
    }),
  );
}
