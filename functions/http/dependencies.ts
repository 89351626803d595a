// The composition root for HTTP handlers: adapters built once per Lambda container from
// configuration. Endpoints are never set here; the SDK reads AWS_ENDPOINT_URL_* itself.
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbIdentityRepository } from '#adapters/dynamodb/identity-repository.ts';
import { DynamoDbRateLimiter } from '#adapters/dynamodb/rate-limiter.ts';
import { DynamoDbScanRepository } from '#adapters/dynamodb/scan-repository.ts';
import { S3ArtifactStore } from '#adapters/s3/s3-artifact-store.ts';
import { SqsScanQueue } from '#adapters/sqs/sqs-scan-queue.ts';
import type { IdentityStore } from '#domain/identity/identity-store.ts';
import type { RateLimiter } from '#domain/rate-limit/rate-limiter.ts';
import type { ScanArtifactStore, ScanQueue, ScanStore } from '#domain/scans/scan-store.ts';

export interface Dependencies {
  identity: IdentityStore;
  scans: ScanStore;
  artifacts: ScanArtifactStore;
  queue: ScanQueue;
  rateLimiter: RateLimiter;
  sessionSecret: string;
  now: () => Date;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`Missing configuration: ${name}`);
  return value;
}

let built: Dependencies | undefined;

export function dependencies(): Dependencies {
  if (built) return built;
  const tableName = required('TABLE_NAME');
  const client = documentClient();
  built = {
    identity: new DynamoDbIdentityRepository(client, tableName),
    scans: new DynamoDbScanRepository(client, tableName),
    artifacts: new S3ArtifactStore(new S3Client({}), required('ARTIFACT_BUCKET')),
    queue: new SqsScanQueue(new SQSClient({}), required('SCAN_QUEUE_URL')),
    rateLimiter: new DynamoDbRateLimiter(client, tableName),
    sessionSecret: required('HG_SESSION_SECRET'),
    now: () => new Date(),
  };
  return built;
}
