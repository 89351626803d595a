// The S3, SQS and ECS ports every factory builds the same way: each adapter and its SDK client
// load on first use (lazyPort), and so does its configuration, passed as a function: a Lambda
// whose routes never touch a port needs neither its client nor its variable.
import type { S3 } from '@aws-sdk/client-s3';
import type { EcsTaskSettings } from '#adapters/ecs/ecs-scan-runner.ts';
import { lazyPort } from '#adapters/lazy-port.ts';
import type { ScanRunner, TaskStopper } from '#domain/pipeline/scan-runner.ts';
import type { EnvelopeUploadStore } from '#domain/scans/envelope-upload.ts';
import type { IngestQueue } from '#domain/scans/ingest-request.ts';
import type { LayerCacheObjects } from '#domain/scans/layer-cache-urls.ts';
import type { RawOutputStore } from '#domain/scans/raw-outputs.ts';
import type { ScanArtifactStore, ScanQueue } from '#domain/scans/scan-store.ts';
import type { WatchQueue } from '#domain/watch/rematch-run.ts';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbWebhookRepository } from '#adapters/dynamodb/webhook-repository.ts';
import { webhookEventPublisher, type EventPublisher } from '#domain/webhooks/publish-events.ts';
import type { WebhookQueue, WebhookStore } from '#domain/webhooks/webhook.ts';
import type { PasswordSealer } from '#domain/registries/registry-settings.ts';
import { readSecretString } from '#adapters/secrets/secret-string.ts';

export interface S3Ports {
  artifacts: ScanArtifactStore;
  uploads: EnvelopeUploadStore;
  rawOutputs: RawOutputStore;
  /** Pre-signed URLs of the organisations' layer-cache entries, for scanners. */
  layerCache: LayerCacheObjects;
}

/**
 * One S3 client for the S3 ports: a request that deletes a scan (artifacts and raw
 * outputs at once) or ingests an uploaded envelope shares its credentials and connections.
 */
export function s3Ports(bucket: () => string): S3Ports {
  let s3Loading: Promise<S3> | undefined;
  const s3 = () => (s3Loading ??= import('@aws-sdk/client-s3').then(({ S3 }) => new S3({})));
  return {
    artifacts: lazyPort(async () => {
      const [client, { S3ArtifactStore }] = await Promise.all([s3(), import('#adapters/s3/s3-artifact-store.ts')]);
      return new S3ArtifactStore(client, bucket());
    }),
    uploads: lazyPort(async () => {
      const [client, { S3EnvelopeUploads }] = await Promise.all([s3(), import('#adapters/s3/s3-envelope-uploads.ts')]);
      return new S3EnvelopeUploads(client, bucket());
    }),
    rawOutputs: lazyPort(async () => {
      const [client, { S3RawOutputs }] = await Promise.all([s3(), import('#adapters/s3/s3-raw-outputs.ts')]);
      return new S3RawOutputs(client, bucket());
    }),
    layerCache: lazyPort(async () => {
      const [client, { S3LayerCache }] = await Promise.all([s3(), import('#adapters/s3/s3-layer-cache.ts')]);
      return new S3LayerCache(client, bucket());
    }),
  };
}

/** The watch queue: runs to plan (POST /api/watch/run) and their batches (the re-match job). */
export const watchQueue = (queueUrl: () => string): WatchQueue =>
  lazyPort(async () => {
    const [{ SQS }, { SqsWatchQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('#adapters/sqs/sqs-watch-queue.ts')]);
    return new SqsWatchQueue(new SQS({}), queueUrl());
  });

export const scanQueue = (queueUrl: () => string): ScanQueue =>
  lazyPort(async () => {
    const [{ SQS }, { SqsScanQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('#adapters/sqs/sqs-scan-queue.ts')]);
    return new SqsScanQueue(new SQS({}), queueUrl());
  });

export const ingestQueue = (queueUrl: () => string): IngestQueue =>
  lazyPort(async () => {
    const [{ SQS }, { SqsIngestQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('#adapters/sqs/sqs-ingest-queue.ts')]);
    return new SqsIngestQueue(new SQS({}), queueUrl());
  });

export const scanRunner = (settings: () => EcsTaskSettings): ScanRunner =>
  lazyPort(async () => {
    const [{ ECS }, { EcsScanRunner }] = await Promise.all([import('@aws-sdk/client-ecs'), import('#adapters/ecs/ecs-scan-runner.ts')]);
    return new EcsScanRunner(new ECS({}), settings());
  });

export const taskStopper = (cluster: () => string): TaskStopper =>
  lazyPort(async () => {
    const [{ ECS }, { EcsTaskStopper }] = await Promise.all([import('@aws-sdk/client-ecs'), import('#adapters/ecs/ecs-scan-runner.ts')]);
    return new EcsTaskStopper(new ECS({}), cluster());
  });

export interface WebhookPorts {
  webhooks: WebhookStore;
  webhookQueue: WebhookQueue;
  /** What publishes scan events to the organisation's webhooks. */
  events: EventPublisher;
}

/** The webhook store, queue and publisher: every function that ends scans publishes through them. */
export function webhookPorts(
  client: DynamoDBDocumentClient,
  tableName: string,
  queueUrl: () => string,
  deadLetterQueueUrl: () => string = () => '',
): WebhookPorts {
  const webhooks = new DynamoDbWebhookRepository(client, tableName);
  const webhookQueue: WebhookQueue = lazyPort(async () => {
    const [{ SQS }, { SqsWebhookQueue }] = await Promise.all([import('@aws-sdk/client-sqs'), import('#adapters/sqs/sqs-webhook-queue.ts')]);
    return new SqsWebhookQueue(new SQS({}), queueUrl(), deadLetterQueueUrl);
  });
  return { webhooks, webhookQueue, events: webhookEventPublisher({ webhooks, queue: webhookQueue }) };
}

/**
 * Seals and opens secrets at rest (registry passwords, webhook signing secrets) under the
 * deployment's sealing key, read on first use: only the functions that seal or open need, and
 * get, access to it (infra/route-access.ts). In AWS the key is a Secrets Manager secret (its
 * ARN); locally, the value.
 */
export const secretSealer = (key: { arn: string | undefined; value: () => string }): PasswordSealer =>
  lazyPort(async () => {
    const [{ SecretBox }, secret] = await Promise.all([import('#domain/registries/secret-box.ts'), key.arn ? readSecretString(key.arn) : key.value()]);
    const box = new SecretBox(secret);
    return {
      seal: async (plaintext: string, context: string) => box.seal(plaintext, context),
      open: async (sealed: string, context: string) => box.open(sealed, context),
    };
  });
