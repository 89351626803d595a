// The composition root of the task-events job (functions/jobs/task-events): it fails the scan
// of a task that stopped with an error, and needs the table alone.
import { documentClient } from '#adapters/dynamodb/document-client.ts';
import { DynamoDbScanStore } from '#adapters/dynamodb/scans/dynamodb-scan-store.ts';
import type { handleTaskStopped } from '#domain/pipeline/scan-lifecycle.ts';
import { webhookPorts } from './aws-ports.ts';
import { configuration, JOB_ENVIRONMENT } from './environment.ts';

type TaskEventsDeps = Parameters<typeof handleTaskStopped>[1];
const config = configuration(JOB_ENVIRONMENT['task-events']);
let built: TaskEventsDeps | undefined;

export function taskEventsDependencies(): TaskEventsDeps {
  const client = documentClient();
  const tableName = config.required('TABLE_NAME');
  built ??= {
    scans: new DynamoDbScanStore(client, tableName),
    events: webhookPorts(client, tableName, () => config.required('WEBHOOK_QUEUE_URL')).events,
    now: () => new Date(),
  };
  return built;
}
