// The composition root of the dispatcher (functions/jobs/dispatcher): it starts scanner tasks,
// so it alone has the task definition and network settings; it never authenticates anyone, so
// it has no session secret.
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbIdentityRepository } from '#adapters/dynamodb/identity-repository.ts';
import { DynamoDbRegistryRepository } from '#adapters/dynamodb/registry-repository.ts';
import { DynamoDbScanStore } from '#adapters/dynamodb/scans/dynamodb-scan-store.ts';
import type { DispatchDeps } from '#domain/pipeline/dispatch-scan.ts';
import { scanRunner } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT } from './environment.ts';

const config = configuration(JOB_ENVIRONMENT.dispatcher);
let built: DispatchDeps | undefined;

export function dispatcherDependencies(): DispatchDeps {
  if (built) return built;
  const tableName = config.required('TABLE_NAME');
  const client = documentClient();
  built = {
    scans: new DynamoDbScanStore(client, tableName),
    identity: new DynamoDbIdentityRepository(client, tableName),
    registries: new DynamoDbRegistryRepository(client, tableName),
    runner: scanRunner(() => ({
      cluster: config.required('SCANNER_CLUSTER'),
      taskDefinition: config.required('SCANNER_TASK_DEFINITION'),
      containerName: config.optional('SCANNER_CONTAINER_NAME') ?? 'scanner',
      subnets: config.list('SCANNER_SUBNETS'),
      securityGroups: config.list('SCANNER_SECURITY_GROUPS'),
      assignPublicIp: config.optional('SCANNER_ASSIGN_PUBLIC_IP') === 'true',
    })),
    settings: {
      apiUrl: config.required('HG_API_URL'),
      scanTimeoutMs: config.positive('HG_SCAN_TIMEOUT_SECONDS', 900) * 1000,
      caps: { perOrganization: config.positive('HG_MAX_RUNNING_SCANS_PER_ORG', 10), perDeployment: config.positive('HG_MAX_RUNNING_SCANS', 50) },
    },
    now: () => new Date(),
  };
  return built;
}
