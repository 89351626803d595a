// The composition root of the scheduled registry checks (functions/jobs/registry-check): it
// lists the watched tags and queues them for the re-match job to check; it reaches no registry
// itself and authenticates no one.
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbTagStateRepository } from '#adapters/dynamodb/tag-state-repository.ts';
import { DynamoDbWatchSettingsRepository } from '#adapters/dynamodb/watch-settings-repository.ts';
import type { planRegistryChecks } from '#domain/watch/registry-check.ts';
import { watchQueue } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT } from './environment.ts';

type RegistryCheckDeps = Parameters<typeof planRegistryChecks>[0];
const config = configuration(JOB_ENVIRONMENT['registry-check']);
let built: RegistryCheckDeps | undefined;

export function registryCheckDependencies(): RegistryCheckDeps {
  const tableName = config.required('TABLE_NAME');
  built ??= {
    tagStates: new DynamoDbTagStateRepository(documentClient(), tableName),
    watchSettings: new DynamoDbWatchSettingsRepository(documentClient(), tableName),
    watchQueue: watchQueue(() => config.required('WATCH_QUEUE_URL')),
    now: () => new Date(),
  };
  return built;
}
