// The scan store's retries on the real table (DynamoDB Local): a lost race re-reads and wins on
// the next attempt; throttling is retried with backoff and, past the bound, answered with a
// ConflictError instead of spinning. DynamoDB Local never throttles, so that one fault is
// injected into the real client's middleware: the transaction is cancelled the way DynamoDB
// cancels a throttled one, before the request is sent.
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, expect, it } from 'vitest';
import { ConflictError } from '#shared/errors.ts';
import type { Scan } from '#domain/scans/scan.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry.ts';
import { tableDefinition } from '../table-design.ts';
import { DynamoDbScanStore } from './dynamodb-scan-store.ts';
import { orgCountersKey } from './keys.ts';

const tableName = `t${randomBytes(4).toString('hex')}-scan-writes`;
beforeAll(async () => {
  await new DynamoDBClient({}).send(new CreateTableCommand(tableDefinition(tableName)));
});

/** A document client on the real table, whose next `throttled` TransactWriteItems are cancelled, and a count of those sent. */
function clientWith(faults: { throttled: number; before?: () => Promise<void> }) {
  const base = new DynamoDBClient({});
  const sent = { transactions: 0 };
  base.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      sent.transactions++;
      await faults.before?.();
      faults.before = undefined;
      if (faults.throttled > 0) {
        faults.throttled--;
        throw new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: {},
          CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
        });
      }
      return next(args);
    },
    { step: 'initialize', name: 'injectThrottling' },
  );
  return { client: DynamoDBDocumentClient.from(base, { marshallOptions: { removeUndefinedValues: true } }), sent };
}

function recordedRetry(): { policy: RetryPolicy; pauses: number[] } {
  const pauses: number[] = [];
  return { pauses, policy: { ...DEFAULT_RETRY, sleep: async (ms) => void pauses.push(ms) } };
}

function queuedScan(orgId: string): Scan {
  const now = new Date().toISOString();
  return {
    id: `scn-${randomBytes(6).toString('hex')}`,
    orgId,
    tagId: 'tag-1',
    image: { name: 'ghcr.io/acme/api', tag: '1', digest: null },
    status: 'QUEUED',
    scanners: ['harborguard'],
    compliance: null,
    riskScore: null,
    duration: null,
    scannedAt: null,
    requestedAt: now,
    updatedAt: now,
    source: 'api',
    deadline: now,
  };
}

const untouched = clientWith({ throttled: 0 }).client;
const plain = () => new DynamoDbScanStore(untouched, tableName);
const counters = async (orgId: string) =>
  (await untouched.send(new GetCommand({ TableName: tableName, Key: orgCountersKey(orgId), ConsistentRead: true }))).Item;

it('retries a throttled transition with growing, jittered pauses and then writes it once', async () => {
  const orgId = `org-${randomBytes(4).toString('hex')}`;
  const scan = queuedScan(orgId);
  await plain().createScans([scan]);
  const { client, sent } = clientWith({ throttled: 3 });
  const { policy, pauses } = recordedRetry();
  const moved = await new DynamoDbScanStore(client, tableName, undefined, policy).transitionScan(orgId, scan.id, ['QUEUED'], { status: 'CANCELLED' });
  expect(moved?.status).toBe('CANCELLED');
  expect(sent.transactions).toBe(4);
  expect(pauses).toHaveLength(3);
  pauses.forEach((pause, i) => expect(pause).toBeLessThan(DEFAULT_RETRY.baseDelayMs * 2 ** i));
  expect(await counters(orgId)).toMatchObject({ total: 1, status_QUEUED: 0, status_CANCELLED: 1 });
});

it('gives up on a table that keeps throttling after the bound, with a ConflictError and nothing written', async () => {
  const orgId = `org-${randomBytes(4).toString('hex')}`;
  const scan = queuedScan(orgId);
  await plain().createScans([scan]);
  const { client, sent } = clientWith({ throttled: Number.POSITIVE_INFINITY });
  const store = new DynamoDbScanStore(client, tableName, undefined, recordedRetry().policy);
  await expect(store.transitionScan(orgId, scan.id, ['QUEUED'], { status: 'CANCELLED' })).rejects.toBeInstanceOf(ConflictError);
  await expect(store.deleteScan(orgId, scan.id)).rejects.toBeInstanceOf(ConflictError);
  // A throttled save is retried too, not reported as a lost race (false).
  await expect(store.saveScan({ ...scan, status: 'FAILED' }, 'QUEUED')).rejects.toBeInstanceOf(ConflictError);
  expect(sent.transactions).toBe(3 * DEFAULT_RETRY.attempts);
  expect((await plain().getScan(orgId, scan.id))?.status).toBe('QUEUED');
});

it('deletes a scan whose status changed between its read and its delete, from the status stored now', async () => {
  const orgId = `org-${randomBytes(4).toString('hex')}`;
  const scan = queuedScan(orgId);
  await plain().createScans([scan]);
  // A real lost race: another writer moves the scan after the delete read it as QUEUED.
  const { client, sent } = clientWith({
    throttled: 0,
    before: async () => {
      await plain().transitionScan(orgId, scan.id, ['QUEUED'], { status: 'IN_PROGRESS' });
    },
  });
  const removed = await new DynamoDbScanStore(client, tableName, undefined, recordedRetry().policy).deleteScan(orgId, scan.id);
  expect(removed?.status).toBe('IN_PROGRESS');
  expect(sent.transactions).toBe(2);
  expect(await plain().getScan(orgId, scan.id)).toBeUndefined();
  expect(await counters(orgId)).toMatchObject({ total: 0, status_QUEUED: 0, status_IN_PROGRESS: 0 });
});
