// The composition root of the re-match job (functions/jobs/rematch): the published snapshot (S3,
// cached in /tmp), the scan store and artifacts it re-matches, the watch queue for the batches
// it plans, the webhook events a re-match publishes, and for registry checks the stored
// registry credentials, the egress policy and the scan queue; it authenticates no one.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbRegistryRepository } from '#adapters/dynamodb/registry-repository.ts';
import { DynamoDbScanStore } from '#adapters/dynamodb/scans/dynamodb-scan-store.ts';
import { RegistryManifestDigests } from '#adapters/http/registry-manifest-digests.ts';
import { DynamoDbTagStateRepository } from '#adapters/dynamodb/tag-state-repository.ts';
import { DynamoDbTriageRepository } from '#adapters/dynamodb/triage-repository.ts';
import { DynamoDbWatchRunRepository } from '#adapters/dynamodb/watch-run-repository.ts';
import { DynamoDbWatchSettingsRepository } from '#adapters/dynamodb/watch-settings-repository.ts';
import { lazyPort } from '#adapters/lazy-port.ts';
import type { WatchJobDeps } from '#domain/watch/watch-message.ts';
import type { SnapshotSource } from '#domain/watch/snapshot-source.ts';
import { s3Ports, scanQueue, secretSealer, watchQueue, webhookPorts } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT, LOCAL_ONLY_ENVIRONMENT } from './environment.ts';
import { submitSettings } from './submit-settings.ts';

const config = configuration([...JOB_ENVIRONMENT.rematch, ...LOCAL_ONLY_ENVIRONMENT]);
let built: WatchJobDeps | undefined;

export function rematchDependencies(): WatchJobDeps {
  if (built) return built;
  const tableName = config.required('TABLE_NAME');
  const settings = submitSettings(config);
  const client = documentClient();
  const snapshots: SnapshotSource = lazyPort(async () => {
    const [{ S3 }, { S3SnapshotSource }] = await Promise.all([import('@aws-sdk/client-s3'), import('#adapters/s3/s3-snapshot-source.ts')]);
    const location = { bucket: config.required('ARTIFACT_BUCKET'), key: config.required('ADVISORY_SNAPSHOT_OBJECT') };
    // Lambda's only writable disk; a warm container finds its copy there again.
    return new S3SnapshotSource(new S3({}), location, join(tmpdir(), 'harborguard-advisories'));
  });
  built = {
    scans: new DynamoDbScanStore(client, tableName),
    triage: new DynamoDbTriageRepository(client, tableName),
    artifacts: s3Ports(() => config.required('ARTIFACT_BUCKET')).artifacts,
    events: webhookPorts(client, tableName, () => config.required('WEBHOOK_QUEUE_URL')).events,
    tagStates: new DynamoDbTagStateRepository(client, tableName),
    watchSettings: new DynamoDbWatchSettingsRepository(client, tableName),
    runs: new DynamoDbWatchRunRepository(client, tableName),
    watchQueue: watchQueue(() => config.required('WATCH_QUEUE_URL')),
    snapshots,
    queue: scanQueue(() => config.required('SCAN_QUEUE_URL')),
    registries: new DynamoDbRegistryRepository(client, tableName),
    sealer: secretSealer({ arn: config.optional('HG_REGISTRY_KEY_ARN'), value: () => config.required('HG_REGISTRY_KEY') }),
    digests: new RegistryManifestDigests(settings.egress),
    settings,
    now: () => new Date(),
  };
  return built;
}
