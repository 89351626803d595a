// batchWrite on the real table (DynamoDB Local) under throttling: items DynamoDB leaves
// unprocessed are sent again until written, within the retry bound, and past it the write fails
// saying how many were left. DynamoDB Local never throttles, so the real client's middleware
// lets only `perCall` items of each call through and hands the rest back as unprocessed, as
// DynamoDB does under throttling.
import { randomBytes } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, expect, it } from 'vitest';
import { batchWrite } from './batch-write.ts';
import { DEFAULT_RETRY } from './retry.ts';
import { tableDefinition } from './table-design.ts';

const tableName = `t${randomBytes(4).toString('hex')}-batch-write`;
beforeAll(async () => {
  await new DynamoDBClient({}).send(new CreateTableCommand(tableDefinition(tableName)));
});

type Requests = Record<string, unknown[]>;

function throttledClient(perCall: number) {
  const base = new DynamoDBClient({});
  const calls = { count: 0 };
  base.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      calls.count++;
      const input = args.input as { RequestItems: Requests };
      const requests = input.RequestItems[tableName]!;
      const unprocessed = requests.slice(perCall);
      const result =
        perCall === 0
          ? { output: { $metadata: {} }, response: {} }
          : await next({ ...args, input: { ...input, RequestItems: { [tableName]: requests.slice(0, perCall) } } });
      if (unprocessed.length > 0) (result.output as { UnprocessedItems?: Requests }).UnprocessedItems = { [tableName]: unprocessed };
      return result;
    },
    { step: 'initialize', name: 'throttleBatchWrites' },
  );
  return { client: DynamoDBDocumentClient.from(base), calls };
}

const fastRetry = { ...DEFAULT_RETRY, sleep: async () => {} };
const puts = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ PutRequest: { Item: { pk: `${prefix}#${i}`, sk: 'ITEM' } } }));

it('sends unprocessed items again until every one is written', async () => {
  const { client, calls } = throttledClient(1);
  await batchWrite(client, tableName, puts('some', 3), undefined, fastRetry);
  expect(calls.count).toBe(3);
  for (let i = 0; i < 3; i++) {
    expect((await client.send(new GetCommand({ TableName: tableName, Key: { pk: `some#${i}`, sk: 'ITEM' }, ConsistentRead: true }))).Item).toBeDefined();
  }
});

it('fails after the retry bound when DynamoDB keeps every item unprocessed', async () => {
  const { client, calls } = throttledClient(0);
  await expect(batchWrite(client, tableName, puts('none', 2), undefined, fastRetry)).rejects.toThrow(
    `2 of 2 items still unprocessed after ${DEFAULT_RETRY.attempts} attempts`,
  );
  expect(calls.count).toBe(DEFAULT_RETRY.attempts);
});
