// The advisory updater: a Fargate task from the scanner image that runs `harborguard db update`
// on a schedule (download the OSV dumps, build the snapshot, publish it where scanner tasks read
// it). A task rather than a Lambda: building over every feed needs gigabytes of disk and memory
// and may take longer than Lambda's 15 minutes, and the code is the scanner's own CLI.
import { Duration } from 'aws-cdk-lib';
import { SubnetType, type ISecurityGroup } from 'aws-cdk-lib/aws-ec2';
import { CpuArchitecture, FargateTaskDefinition, LogDrivers, OperatingSystemFamily, type ContainerImage, type ICluster } from 'aws-cdk-lib/aws-ecs';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { EcsTask } from 'aws-cdk-lib/aws-events-targets';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import type { Settings } from '../settings.ts';
import { grantRunTask } from './access.ts';

/** Where OSV publishes one all.zip per ecosystem. */
export const OSV_DUMPS_URL = 'https://osv-vulnerabilities.storage.googleapis.com';
/** The CLI bundle in the scanner image (scanner-task/Dockerfile), whose ENTRYPOINT is the scan task instead. */
export const CLI_BUNDLE = '/opt/harborguard/harborguard.mjs';
export const UPDATER_CONTAINER_NAME = 'advisory-updater';
// Where scanner tasks run too: public subnets, a public IP, no NAT (docs/DEPLOY.md).
const PUBLIC_SUBNETS = { subnetType: SubnetType.PUBLIC };

export interface AdvisoryUpdaterProps {
  cluster: ICluster;
  /** The scanner image: the updater is its CLI. */
  image: ContainerImage;
  /** The scanner tasks' security group (no ingress, egress to HTTP(S)). */
  securityGroup: ISecurityGroup;
  artifacts: IBucket;
  /** The object scanner tasks read (HARBORGUARD_DB_S3_KEY). */
  snapshotKey: string;
  settings: Pick<Settings, 'advisoryUpdateIntervalHours' | 'advisoryEcosystems' | 'advisoryUpdaterCpu' | 'advisoryUpdaterMemoryMiB'>;
}

/** `harborguard db update` for the given ecosystems, publishing to s3://<bucket>/<key>. */
export function advisoryUpdateCommand(ecosystems: readonly string[], bucketName: string, key: string): string[] {
  return [
    'db',
    'update',
    '--dump',
    ...ecosystems.map((ecosystem) => `${OSV_DUMPS_URL}/${encodeURIComponent(ecosystem)}/all.zip`),
    // The scratch volume starts empty on every run, so every dump is downloaded; the publish
    // is still skipped when the rebuilt snapshot's content hash is the one already in S3.
    '--cache-dir',
    '/scratch/osv',
    '-o',
    '/scratch/advisories.db',
    // Next to the task metadata endpoint: the dumps are fetched through the egress policy (public addresses only).
    '--restrict-egress',
    '--publish',
    `s3://${bucketName}/${key}`,
  ];
}

export class AdvisoryUpdater extends Construct {
  readonly taskDefinition: FargateTaskDefinition;
  readonly schedule: Rule;
  /** `aws ecs run-task …` that starts one run now, as the schedule would. */
  readonly runTaskCommand: string;

  constructor(scope: Construct, id: string, props: AdvisoryUpdaterProps) {
    super(scope, id);
    const { settings } = props;

    this.taskDefinition = new FargateTaskDefinition(this, 'Task', {
      cpu: settings.advisoryUpdaterCpu,
      memoryLimitMiB: settings.advisoryUpdaterMemoryMiB,
      // The image is the scanner's, built for x86_64.
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    this.taskDefinition.addVolume({ name: 'scratch' });
    const container = this.taskDefinition.addContainer(UPDATER_CONTAINER_NAME, {
      image: props.image,
      // V8 sizes its heap from the machine, not from the task: give it three quarters of the task's memory.
      entryPoint: ['node', `--max-old-space-size=${Math.floor(settings.advisoryUpdaterMemoryMiB * 0.75)}`, CLI_BUNDLE],
      command: advisoryUpdateCommand(settings.advisoryEcosystems, props.artifacts.bucketName, props.snapshotKey),
      logging: LogDrivers.awsLogs({ streamPrefix: 'update', logGroup: new LogGroup(this, 'Logs', { retention: RetentionDays.THREE_MONTHS }) }),
      readonlyRootFilesystem: true,
      essential: true,
    });
    // Dumps, their ETags and the built snapshot: the only writable path (HOME and TMPDIR too).
    container.addMountPoints({ containerPath: '/scratch', sourceVolume: 'scratch', readOnly: false });

    // HeadObject (is this content already published?) and PutObject, on the snapshot object
    // alone. Without s3:ListBucket, S3 answers HEAD on a missing object with 403, which the
    // publisher treats as absent, so the first run publishes. The snapshot goes up in parts:
    // PutObject covers them, AbortMultipartUpload lets a failed upload remove its own.
    this.taskDefinition.addToTaskRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [props.artifacts.arnForObjects(props.snapshotKey)],
      }),
    );

    // EventBridge's role, with the policy written here: EcsTask's own would add ecs:TagResource
    // on tasks of any account and PassRole without naming the service.
    const role = new Role(this, 'ScheduleRole', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: 'Runs the HarborGuard advisory updater task',
    });
    grantRunTask((statement) => role.addToPolicy(statement), { cluster: props.cluster, taskDefinition: this.taskDefinition });

    this.schedule = new Rule(this, 'Schedule', {
      description: 'Refreshes the HarborGuard advisory snapshot',
      schedule: Schedule.rate(Duration.hours(settings.advisoryUpdateIntervalHours)),
      targets: [
        new EcsTask({
          cluster: props.cluster,
          taskDefinition: this.taskDefinition,
          role: role.withoutPolicyUpdates(),
          subnetSelection: PUBLIC_SUBNETS,
          securityGroups: [props.securityGroup],
          // Public subnets without NAT: the task reaches OSV and S3 through its own public IP.
          assignPublicIp: true,
          // A run that could not start within the hour is left to the next one.
          maxEventAge: Duration.hours(1),
          retryAttempts: 3,
        }),
      ],
    });

    // Scans fail until a snapshot exists: the first deploy starts one run instead of waiting for
    // the schedule. RunTask only starts the task; an error (a quota, a fresh account) must not
    // roll the deployment back, so it is ignored: the schedule and the RunAdvisoryUpdater output
    // remain (docs/DEPLOY.md).
    const subnetIds = props.cluster.vpc.selectSubnets(PUBLIC_SUBNETS).subnetIds;
    const firstRun: PolicyStatement[] = [];
    grantRunTask((statement) => firstRun.push(statement), { cluster: props.cluster, taskDefinition: this.taskDefinition });
    new AwsCustomResource(this, 'FirstRun', {
      onCreate: {
        service: 'ECS',
        action: 'runTask',
        parameters: {
          cluster: props.cluster.clusterArn,
          taskDefinition: this.taskDefinition.taskDefinitionArn,
          launchType: 'FARGATE',
          networkConfiguration: {
            awsvpcConfiguration: { subnets: subnetIds, securityGroups: [props.securityGroup.securityGroupId], assignPublicIp: 'ENABLED' },
          },
        },
        physicalResourceId: PhysicalResourceId.of('first-advisory-update'),
        outputPaths: ['tasks.0.taskArn'],
        ignoreErrorCodesMatching: '.*',
      },
      policy: AwsCustomResourcePolicy.fromStatements(firstRun),
    });

    const subnets = subnetIds.join(',');
    this.runTaskCommand =
      `aws ecs run-task --launch-type FARGATE --cluster ${props.cluster.clusterName} --task-definition ${this.taskDefinition.taskDefinitionArn} ` +
      `--network-configuration 'awsvpcConfiguration={subnets=[${subnets}],securityGroups=[${props.securityGroup.securityGroupId}],assignPublicIp=ENABLED}'`;
  }
}
