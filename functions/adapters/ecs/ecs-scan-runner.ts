// Runs scanner tasks on ECS Fargate (ScanRunner port). The endpoint comes from
// AWS_ENDPOINT_URL_ECS when set (the local stack's ECS endpoint); cluster, task definition and
// network from configuration.
// Type-only: see s3-artifact-store.ts for why the SDK is not imported as a value here.
import type { ECS } from '@aws-sdk/client-ecs';
import type { ScannerTaskSpec, ScanRunner, TaskStopper } from '#domain/pipeline/scan-runner.ts';

export interface EcsTaskSettings {
  cluster: string;
  taskDefinition: string;
  containerName: string;
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

/** Stops this cluster's tasks: all that the API and the reaper may do (they cannot RunTask). */
export class EcsTaskStopper implements TaskStopper {
  constructor(
    protected readonly client: ECS,
    private readonly cluster: string,
  ) {}

  async stopTask(taskArn: string, reason: string): Promise<void> {
    await this.client.stopTask({ cluster: this.cluster, task: taskArn, reason: reason.slice(0, 255) });
  }
}

export class EcsScanRunner extends EcsTaskStopper implements ScanRunner {
  constructor(
    client: ECS,
    private readonly settings: EcsTaskSettings,
  ) {
    super(client, settings.cluster);
  }

  async runTask(spec: ScannerTaskSpec): Promise<string> {
    const result = await this.client.runTask({
      cluster: this.settings.cluster,
      taskDefinition: this.settings.taskDefinition,
      launchType: 'FARGATE',
      count: 1,
      startedBy: spec.scanId.slice(0, 36),
      networkConfiguration: {
        awsvpcConfiguration: {
          subnets: this.settings.subnets,
          securityGroups: this.settings.securityGroups,
          assignPublicIp: this.settings.assignPublicIp ? 'ENABLED' : 'DISABLED',
        },
      },
      overrides: {
        containerOverrides: [
          {
            name: this.settings.containerName,
            environment: [
              { name: 'HG_SCAN_ID', value: spec.scanId },
              { name: 'HG_ORG_ID', value: spec.orgId },
              { name: 'HG_IMAGE', value: spec.image },
              { name: 'HG_SCANNERS', value: spec.scanners.join(',') },
              { name: 'HG_API_URL', value: spec.apiUrl },
              { name: 'HG_UPLOAD_KEY', value: spec.uploadKey },
              ...(spec.registry.allowPlainHttp ? [{ name: 'HG_REGISTRY_PLAIN_HTTP', value: 'true' }] : []),
              ...(spec.registry.credentials ? [{ name: 'HG_REGISTRY_CREDENTIALS', value: 'true' }] : []),
            ],
          },
        ],
      },
    });
    const task = result.tasks?.[0];
    if (!task?.taskArn) {
      const failure = result.failures?.[0];
      throw new Error(`ECS could not start the scanner task: ${failure?.reason ?? 'no task returned'}${failure?.detail ? ` (${failure.detail})` : ''}`);
    }
    return task.taskArn;
  }
}
