// The composition root of the ingest job (functions/jobs/ingest): it reads uploaded envelopes
// back from the bucket and stores the scan's artifacts and items; it queues nothing and
// authenticates no one (the upload was authenticated when it was accepted).
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbScanStore } from '#adapters/dynamodb/scans/dynamodb-scan-store.ts';
import { DynamoDbTriageRepository } from '#adapters/dynamodb/triage-repository.ts';
import type { runIngestRequest } from '#domain/scans/ingest-request.ts';
import { s3Ports, webhookPorts } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT } from './environment.ts';

type IngestJobDeps = Parameters<typeof runIngestRequest>[1];
const config = configuration(JOB_ENVIRONMENT.ingest);
let built: IngestJobDeps | undefined;

export function ingestDependencies(): IngestJobDeps {
  if (built) return built;
  const tableName = config.required('TABLE_NAME');
  const client = documentClient();
  const { artifacts, uploads } = s3Ports(() => config.required('ARTIFACT_BUCKET'));
  built = {
    scans: new DynamoDbScanStore(client, tableName),
    triage: new DynamoDbTriageRepository(client, tableName),
    artifacts,
    uploads,
    events: webhookPorts(client, tableName, () => config.required('WEBHOOK_QUEUE_URL')).events,
    now: () => new Date(),
  };
  return built;
}
