// The composition root for HTTP handlers: adapters built once per Lambda container from
// configuration. Endpoints are never set here; the SDK reads AWS_ENDPOINT_URL_* itself.
import type { S3 } from '@aws-sdk/client-s3';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbIdempotencyRepository } from '#adapters/dynamodb/idempotency-repository.ts';
import { DynamoDbIdentityRepository } from '#adapters/dynamodb/identity-repository.ts';
import { DynamoDbRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { DynamoDbRegistryRepository } from '#adapters/dynamodb/registry-repository.ts';
import { DynamoDbScanRepository } from '#adapters/dynamodb/scan-repository.ts';
import { DynamoDbTriageRepository } from '#adapters/dynamodb/triage-repository.ts';
import { lazyPort } from '#adapters/lazy-port.ts';
import { readSecretString } from '#adapters/secrets/secret-string.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import type { IdentityStore } from '#domain/identity/identity-store.ts';
import type { PipelineSettings } from '#domain/pipeline/pipeline-settings.ts';
import type { ScanRunner } from '#domain/pipeline/scan-runner.ts';
import type { RateLimiter } from '#domain/rate-limit/rate-limiter.ts';
import type { PasswordSealer, RegistryStore } from '#domain/registries/registry-settings.ts';
import type { IdempotencyStore } from '#domain/scans/idempotent-request.ts';
import type { IngestQueue } from '#domain/scans/ingest-request.ts';
import type { EnvelopeUploadStore } from '#domain/scans/envelope-upload.ts';
import type { RawOutputStore } from '#domain/scans/raw-outputs.ts';
import type { ScanArtifactStore, ScanQueue, ScanStore } from '#domain/scans/scan-store.ts';
import type { TriageStore } from '#domain/triage/triage-store.ts';

export interface Dependencies {
  identity: IdentityStore;
  scans: ScanStore;
  triage: TriageStore;
  artifacts: ScanArtifactStore;
  uploads: EnvelopeUploadStore;
  rawOutputs: RawOutputStore;
  queue: ScanQueue;
  /** Large uploads, for the ingest job. */
  ingestQueue: IngestQueue;
  rateLimiter: RateLimiter;
  idempotency: IdempotencyStore;
  runner: ScanRunner;
  registries: RegistryStore;
  sealer: PasswordSealer;
  settings: PipelineSettings;
  sessionSecret: string;
  now: () => Date;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: ${name}`);
  return value;
}

// In a deployment the session secret lives in Secrets Manager: read once, at module load (the
// container's init phase), because dependencies() itself is synchronous.
const sessionSecretArn = process.env.HG_SESSION_SECRET_ARN;
const deployedSessionSecret = sessionSecretArn ? await readSecretString(sessionSecretArn) : undefined;

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`Invalid configuration: ${name} must be a positive number`);
  return value;
};
const list = (name: string, fallback: string) => (process.env[name] ?? fallback).split(',').map((v) => v.trim()).filter(Boolean);

function pipelineSettings(): PipelineSettings {
  return {
    apiUrl: process.env.HG_API_URL ?? '',
    scanTimeoutMs: number('HG_SCAN_TIMEOUT_SECONDS', 900) * 1000,
    maxQueuedMs: number('HG_MAX_QUEUED_SECONDS', 3600) * 1000,
    caps: { perOrganization: number('HG_MAX_RUNNING_SCANS_PER_ORG', 10), perDeployment: number('HG_MAX_RUNNING_SCANS', 50) },
    availableScanners: list('HG_SCANNERS', 'harborguard'),
    ...(process.env.HG_LOCAL_SOURCES_DIR ? { localSourcesDir: process.env.HG_LOCAL_SOURCES_DIR } : {}),
    egress: egressPolicy(process.env.HG_EGRESS_ALLOW),
  };
}

let built: Dependencies | undefined;

export function dependencies(): Dependencies {
  if (built) return built;
  const tableName = required('TABLE_NAME');
  const bucket = required('ARTIFACT_BUCKET');
  const queueUrl = required('SCAN_QUEUE_URL');
  const ecsSettings = {
    cluster: process.env.SCANNER_CLUSTER ?? '',
    taskDefinition: process.env.SCANNER_TASK_DEFINITION ?? '',
    containerName: process.env.SCANNER_CONTAINER_NAME ?? 'scanner',
    subnets: list('SCANNER_SUBNETS', ''),
    securityGroups: list('SCANNER_SECURITY_GROUPS', ''),
    assignPublicIp: process.env.SCANNER_ASSIGN_PUBLIC_IP === 'true',
  };
  const client = documentClient();
  // One S3 client for the three S3 ports: a request that deletes a scan (artifacts and raw
  // outputs at once) or ingests an uploaded envelope shares its credentials and connections.
  let s3Loading: Promise<S3> | undefined;
  const s3 = () => (s3Loading ??= import('@aws-sdk/client-s3').then(({ S3 }) => new S3({})));
  built = {
    identity: new DynamoDbIdentityRepository(client, tableName),
    scans: new DynamoDbScanRepository(client, tableName),
    triage: new DynamoDbTriageRepository(client, tableName),
    artifacts: lazyPort(async () => {
      const [s3Client, { S3ArtifactStore }] = await Promise.all([s3(), import('#adapters/s3/s3-artifact-store.ts')]);
      return new S3ArtifactStore(s3Client, bucket);
    }),
    uploads: lazyPort(async () => {
      const [s3Client, { S3EnvelopeUploads }] = await Promise.all([s3(), import('#adapters/s3/s3-envelope-uploads.ts')]);
      return new S3EnvelopeUploads(s3Client, bucket);
    }),
    rawOutputs: lazyPort(async () => {
      const [s3Client, { S3RawOutputs }] = await Promise.all([s3(), import('#adapters/s3/s3-raw-outputs.ts')]);
      return new S3RawOutputs(s3Client, bucket);
    }),
    queue: lazyPort(async () => {
      const [{ SQS }, { SqsScanQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('#adapters/sqs/sqs-scan-queue.ts')]);
      return new SqsScanQueue(new SQS({}), queueUrl);
    }),
    // Only the upload function sends to it: INGEST_QUEUE_URL is required on first use alone.
    ingestQueue: lazyPort(async () => {
      const [{ SQS }, { SqsIngestQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('#adapters/sqs/sqs-ingest-queue.ts')]);
      return new SqsIngestQueue(new SQS({}), required('INGEST_QUEUE_URL'));
    }),
    rateLimiter: new DynamoDbRateLimiter(client, tableName),
    idempotency: new DynamoDbIdempotencyRepository(client, tableName),
    runner: lazyPort(async () => {
      const [{ ECS }, { EcsScanRunner }] = await Promise.all([import('@aws-sdk/client-ecs'), import('#adapters/ecs/ecs-scan-runner.ts')]);
      return new EcsScanRunner(new ECS({}), ecsSettings);
    }),
    registries: new DynamoDbRegistryRepository(client, tableName),
    // The key that seals registry passwords: read on first use, so that only the function that
    // seals and opens them (route group `registries`) needs, and gets, access to it.
    sealer: lazyPort(async () => {
      const keyArn = process.env.HG_REGISTRY_KEY_ARN;
      const [{ SecretBox }, key] = await Promise.all([import('#domain/registries/secret-box.ts'), keyArn ? readSecretString(keyArn) : required('HG_REGISTRY_KEY')]);
      const box = new SecretBox(key);
      return { seal: async (plaintext: string, context: string) => box.seal(plaintext, context), open: async (sealed: string, context: string) => box.open(sealed, context) };
    }),
    settings: pipelineSettings(),
    sessionSecret: deployedSessionSecret ?? required('HG_SESSION_SECRET'),
    now: () => new Date(),
  };
  return built;
}
