// The composition root of the API's Lambdas (one per route group, functions/http/route-groups.ts):
// adapters built once per container. The groups that authenticate read the table and the session
// secret at once; everything else a route may touch (buckets, queues, the cluster,
// the registry key) on first use, so each group is deployed with only the variables its routes
// read (environment.ts). Endpoints are never set here; the SDK reads AWS_ENDPOINT_URL_* itself.
import { DynamoDbCatalogueRepository } from '#adapters/dynamodb/catalogue/catalogue-repository.ts';
import { DynamoDbVulnerabilityRepository } from '#adapters/dynamodb/catalogue/vulnerability-repository.ts';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbIdempotencyRepository } from '#adapters/dynamodb/idempotency-repository.ts';
import { DynamoDbIdentityRepository } from '#adapters/dynamodb/identity-repository.ts';
import { DynamoDbIntegrationRepository } from '#adapters/dynamodb/integration-repository.ts';
import { DynamoDbRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { DynamoDbRegistryRepository } from '#adapters/dynamodb/registry-repository.ts';
import { DynamoDbScanStore } from '#adapters/dynamodb/scans/dynamodb-scan-store.ts';
import { DynamoDbTagStateRepository } from '#adapters/dynamodb/tag-state-repository.ts';
import { DynamoDbTriageRepository } from '#adapters/dynamodb/triage-repository.ts';
import { DynamoDbWatchRunRepository } from '#adapters/dynamodb/watch-run-repository.ts';
import { DynamoDbWatchSettingsRepository } from '#adapters/dynamodb/watch-settings-repository.ts';
import { readSecretString } from '#adapters/secrets/secret-string.ts';
import type { IdentityStore } from '#domain/identity/identity-store.ts';
import type { CatalogueStore } from '#domain/images/catalogue.ts';
import type { IntegrationStore } from '#domain/integrations/integration.ts';
import type { PipelineSettings } from '#domain/pipeline/pipeline-settings.ts';
import type { TaskStopper } from '#domain/pipeline/scan-runner.ts';
import type { RateLimiter } from '#domain/rate-limit/rate-limiter.ts';
import type { PasswordSealer, RegistryStore } from '#domain/registries/registry-settings.ts';
import type { IdempotencyStore } from '#domain/scans/idempotent-request.ts';
import type { IngestQueue } from '#domain/scans/ingest-request.ts';
import type { ScanQueue, ScanStore } from '#domain/scans/scan-store.ts';
import type { TriageStore } from '#domain/triage/triage-store.ts';
import type { VulnerabilityCatalogue } from '#domain/vulnerabilities/vulnerability-catalogue.ts';
import type { WatchQueue, WatchRunStore } from '#domain/watch/rematch-run.ts';
import type { TagStateStore } from '#domain/watch/tag-state.ts';
import type { WatchSettingsStore } from '#domain/watch/watch-settings.ts';
import { ingestQueue, s3Ports, scanQueue, secretSealer, taskStopper, watchQueue, webhookPorts, type S3Ports, type WebhookPorts } from './aws-ports.ts';
import { configuration, LOCAL_ONLY_ENVIRONMENT, ROUTE_GROUP_ENVIRONMENT } from './environment.ts';
import { submitSettings } from './submit-settings.ts';

export interface ApiDependencies extends S3Ports, WebhookPorts {
  identity: IdentityStore;
  scans: ScanStore;
  triage: TriageStore;
  queue: ScanQueue;
  /** Large uploads, for the ingest job. */
  ingestQueue: IngestQueue;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  /** Cancel and delete stop a scan's task; starting one is the dispatcher's alone. */
  runner: TaskStopper;
  registries: RegistryStore;
  integrations: IntegrationStore;
  tagStates: TagStateStore;
  /** The tag/image catalogue the images views read. */
  catalogue: CatalogueStore;
  /** The open vulnerabilities across current tag states. */
  vulnerabilities: VulnerabilityCatalogue;
  watchRuns: WatchRunStore;
  watchSettings: WatchSettingsStore;
  /** Runs started by hand, for the re-match job to plan. */
  watchQueue: WatchQueue;
  sealer: PasswordSealer;
  settings: Pick<PipelineSettings, 'scanTimeoutMs' | 'maxQueuedMs' | 'availableScanners' | 'localSourcesDir' | 'egress'>;
  sessionSecret: string;
  now: () => Date;
}

const config = configuration([...Object.values(ROUTE_GROUP_ENVIRONMENT).flat(), ...LOCAL_ONLY_ENVIRONMENT]);

// In a deployment the session secret lives in Secrets Manager: read once, at module load (the
// container's init phase), because apiDependencies() itself is synchronous.
const sessionSecretArn = config.optional('HG_SESSION_SECRET_ARN');
const deployedSessionSecret = sessionSecretArn ? await readSecretString(sessionSecretArn) : undefined;

function settings(): ApiDependencies['settings'] {
  return { scanTimeoutMs: config.positive('HG_SCAN_TIMEOUT_SECONDS', 900) * 1000, ...submitSettings(config) };
}

let built: ApiDependencies | undefined;

export function apiDependencies(): ApiDependencies {
  if (built) return built;
  const tableName = config.required('TABLE_NAME');
  const client = documentClient();
  built = {
    identity: new DynamoDbIdentityRepository(client, tableName),
    scans: new DynamoDbScanStore(client, tableName),
    triage: new DynamoDbTriageRepository(client, tableName),
    ...s3Ports(() => config.required('ARTIFACT_BUCKET')),
    queue: scanQueue(() => config.required('SCAN_QUEUE_URL')),
    ingestQueue: ingestQueue(() => config.required('INGEST_QUEUE_URL')),
    rateLimiter: new DynamoDbRateLimiter(client, tableName),
    idempotency: new DynamoDbIdempotencyRepository(client, tableName),
    runner: taskStopper(() => config.required('SCANNER_CLUSTER')),
    registries: new DynamoDbRegistryRepository(client, tableName),
    integrations: new DynamoDbIntegrationRepository(client, tableName),
    tagStates: new DynamoDbTagStateRepository(client, tableName),
    catalogue: new DynamoDbCatalogueRepository(client, tableName),
    vulnerabilities: new DynamoDbVulnerabilityRepository(client, tableName),
    watchRuns: new DynamoDbWatchRunRepository(client, tableName),
    watchSettings: new DynamoDbWatchSettingsRepository(client, tableName),
    watchQueue: watchQueue(() => config.required('WATCH_QUEUE_URL')),
    sealer: secretSealer({ arn: config.optional('HG_REGISTRY_KEY_ARN'), value: () => config.required('HG_REGISTRY_KEY') }),
    ...webhookPorts(client, tableName, () => config.required('WEBHOOK_QUEUE_URL')),
    settings: settings(),
    // On first use: the hooks group verifies integration secrets and never reads it (environment.ts).
    get sessionSecret() {
      return deployedSessionSecret ?? config.required('HG_SESSION_SECRET');
    },
    now: () => new Date(),
  };
  return built;
}
