// Where scans run: a VPC without NAT, an ECS cluster, and the Fargate task definition of the
// scanner built from scanner-task/Dockerfile; and the scheduled advisory updater, a second task
// definition from the same image. docs/DEPLOY.md explains the network choice.
import { CfnOutput, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import { FlowLogDestination, FlowLogTrafficType, Peer, Port, SecurityGroup, SubnetType, Vpc } from 'aws-cdk-lib/aws-ec2';
import { DockerImageAsset, Platform } from 'aws-cdk-lib/aws-ecr-assets';
import { Cluster, ContainerImage, ContainerInsights, CpuArchitecture, FargateTaskDefinition, LogDrivers, OperatingSystemFamily } from 'aws-cdk-lib/aws-ecs';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { DEFAULT_SNAPSHOT_KEY } from '#shared/snapshots/snapshot-location.ts';
import { AdvisoryUpdater } from '../constructs/advisory-updater.ts';
import { REPO_ROOT } from '../paths.ts';
import type { Settings } from '../settings.ts';
import { ADVISORY_PREFIX } from './stateful-stack.ts';

export const SCANNER_CONTAINER_NAME = 'scanner';

export interface ScannerStackProps extends StackProps {
  settings: Settings;
  artifacts: IBucket;
}

export class ScannerStack extends Stack {
  readonly vpc: Vpc;
  readonly cluster: Cluster;
  readonly taskDefinition: FargateTaskDefinition;
  readonly securityGroup: SecurityGroup;
  readonly advisoryUpdater: AdvisoryUpdater;

  constructor(scope: Construct, id: string, props: ScannerStackProps) {
    super(scope, id, props);
    const { settings } = props;

    // Public subnets only: tasks get a public IP and reach registries directly. A NAT gateway
    // would cost ~$33/month per AZ before the first scan, plus $0.045/GB of pulled layers.
    this.vpc = new Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'public', subnetType: SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false }],
    });
    // Only rejected packets: enough to see what a locked-down task tried to reach, for pennies.
    this.vpc.addFlowLog('RejectedFlows', {
      trafficType: FlowLogTrafficType.REJECT,
      destination: FlowLogDestination.toCloudWatchLogs(new LogGroup(this, 'FlowLogs', { retention: RetentionDays.ONE_MONTH })),
    });

    // No ingress at all; egress only to registry ports. A public IP without an open port is
    // unreachable from the internet.
    this.securityGroup = new SecurityGroup(this, 'ScannerTasks', {
      vpc: this.vpc,
      description: 'HarborGuard scanner tasks: no ingress, egress to registries only',
      allowAllOutbound: false,
    });
    for (const port of settings.scannerEgressPorts) {
      this.securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(port), `registries on ${port}`);
    }

    this.cluster = new Cluster(this, 'Cluster', { vpc: this.vpc, containerInsightsV2: ContainerInsights.ENABLED });

    this.taskDefinition = new FargateTaskDefinition(this, 'ScannerTask', {
      cpu: settings.scannerCpu,
      memoryLimitMiB: settings.scannerMemoryMiB,
      ephemeralStorageGiB: settings.scannerEphemeralStorageGiB,
      // The pinned scanner binaries in the Dockerfile are the x86_64 builds.
      runtimePlatform: { cpuArchitecture: CpuArchitecture.X86_64, operatingSystemFamily: OperatingSystemFamily.LINUX },
    });
    this.taskDefinition.addVolume({ name: 'scratch' });
    // One image for the scanner and the updater. Synth only stages the build context (filtered
    // by .dockerignore); `cdk deploy` builds it.
    const image = ContainerImage.fromDockerImageAsset(
      new DockerImageAsset(this, 'ScannerImage', {
        directory: REPO_ROOT,
        file: 'scanner-task/Dockerfile',
        platform: Platform.LINUX_AMD64,
        buildArgs: settings.scannerBuildArgs,
      }),
    );
    const container = this.taskDefinition.addContainer(SCANNER_CONTAINER_NAME, {
      image,
      logging: LogDrivers.awsLogs({ streamPrefix: 'scan', logGroup: new LogGroup(this, 'ScannerLogs', { retention: RetentionDays.THREE_MONTHS }) }),
      readonlyRootFilesystem: true,
      essential: true,
      // The advisory snapshot `harborguard db publish` puts there; each task fetches it (by ETag) before matching.
      // The egress allowance is the operator's, fixed here: a RunTask override could widen it,
      // and the dispatcher never sets it (functions/adapters/ecs/ecs-scan-runner.ts).
      environment: {
        HARBORGUARD_DB_S3_BUCKET: props.artifacts.bucketName,
        HARBORGUARD_DB_S3_KEY: DEFAULT_SNAPSHOT_KEY,
        HG_EGRESS_ALLOW: settings.scannerEgressAllow.join(','),
      },
    });
    Validations.of(this.taskDefinition).acknowledge({
      id: 'AwsSolutions-ECS2',
      reason:
        'The only plain variables are the advisory snapshot bucket name and key and the egress allowance: names and ranges, no secrets, fixed by the deployment itself; per-scan values come as RunTask overrides',
    });
    // Image layers, unpacked files and scanner caches: the only writable path.
    container.addMountPoints({ containerPath: '/scratch', sourceVolume: 'scratch', readOnly: false });

    // The task reads advisory snapshots (GetObject, also conditional: If-None-Match); its results
    // go through the API (POST /api/scans/upload with a per-scan sensor key), so it needs no
    // other AWS access.
    if (!DEFAULT_SNAPSHOT_KEY.startsWith(ADVISORY_PREFIX))
      throw new Error(`the advisory snapshot key ${DEFAULT_SNAPSHOT_KEY} must lie under ${ADVISORY_PREFIX}`);
    this.taskDefinition.addToTaskRolePolicy(
      new PolicyStatement({ actions: ['s3:GetObject'], resources: [props.artifacts.arnForObjects(`${ADVISORY_PREFIX}*`)] }),
    );

    this.advisoryUpdater = new AdvisoryUpdater(this, 'AdvisoryUpdater', {
      cluster: this.cluster,
      image,
      securityGroup: this.securityGroup,
      artifacts: props.artifacts,
      snapshotKey: DEFAULT_SNAPSHOT_KEY,
      settings,
    });
    new CfnOutput(this, 'AdvisoryUpdaterTaskDefinition', {
      value: this.advisoryUpdater.taskDefinition.taskDefinitionArn,
      description: 'The advisory updater (aws ecs run-task --task-definition <this>); scans fail until its first run has published the snapshot',
    });
    new CfnOutput(this, 'RunAdvisoryUpdater', {
      value: this.advisoryUpdater.runTaskCommand,
      description: 'Starts one advisory update now, as the schedule does',
    });
  }

  get subnetIds(): string[] {
    return this.vpc.publicSubnets.map((subnet) => subnet.subnetId);
  }
}
