// The composition root of the reaper (functions/jobs/reaper): it fails overdue scans and stops
// their tasks; it starts none and authenticates no one.
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbScanStore } from '#adapters/dynamodb/scans/dynamodb-scan-store.ts';
import type { reapOverdueScans } from '#domain/pipeline/scan-lifecycle.ts';
import { taskStopper, webhookPorts } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT } from './environment.ts';

type ReaperDeps = Parameters<typeof reapOverdueScans>[0];
const config = configuration(JOB_ENVIRONMENT.reaper);
let built: ReaperDeps | undefined;

export function reaperDependencies(): ReaperDeps {
  built ??= {
    scans: new DynamoDbScanStore(documentClient(), config.required('TABLE_NAME')),
    runner: taskStopper(() => config.required('SCANNER_CLUSTER')),
    events: webhookPorts(documentClient(), config.required('TABLE_NAME'), () => config.required('WEBHOOK_QUEUE_URL')).events,
    now: () => new Date(),
  };
  return built;
}
