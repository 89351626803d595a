// npm run bench:api — what one GET /api/scans page costs as an organisation grows.
// Seeds 1,000 / 10,000 / 100,000 scans, one organisation per size, on DynamoDB Local and measures
// page 1 (limit 50) for every sort order and a status filter: read units consumed (as DynamoDB
// reports them with ReturnConsumedCapacity) and latency. The baseline, measured in the same
// run, is what a list without indexes or counters pays: reading the organisation's whole history.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalAws, createStackResources } from '../local/local-aws.ts';
import { documentClient } from '../functions/adapters/dynamodb/document-client.ts';
import { DynamoDbScanStore } from '../functions/adapters/dynamodb/scans/dynamodb-scan-store.ts';
import { parseScanListQuery } from '../functions/domain/scans/list-query.ts';
import type { Scan } from '../functions/domain/scans/scan.ts';
import { makeScan } from '../test/support/scan-factory.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const CASES: Array<[string, Record<string, string>]> = [
  ['sort=scannedAt:desc', { sort: 'scannedAt:desc' }],
  ['sort=scannedAt:asc', { sort: 'scannedAt:asc' }],
  ['sort=status:asc', { sort: 'status:asc' }],
  ['sort=compliance:asc', { sort: 'compliance:asc' }],
  ['sort=riskScore:desc', { sort: 'riskScore:desc' }],
  ['status=COMPLETE', { status: 'COMPLETE' }],
  ['status=QUEUED&sort=riskScore:desc', { status: 'QUEUED', sort: 'riskScore:desc' }],
  ['page=10 (offset 450)', { page: '10' }],
  ['search=worker (scans the org)', { search: 'worker' }],
];

// Seeding 111,000 scans through the real write path takes DynamoDB Local many minutes, so the
// database is kept between runs (delete .cache/bench-api/ to start over).
const aws = await startLocalAws({ dynamoDbDir: '.cache/bench-api/dynamodb' });
const { TABLE_NAME } = await createStackResources('bench');
let units = 0;
const repository = new DynamoDbScanStore(documentClient(), TABLE_NAME, (_op, consumed) => (units += consumed));

async function storedCount(orgId: string): Promise<number> {
  const counters = await documentClient().send(
    new GetCommand({ TableName: TABLE_NAME, Key: { pk: `ORG#${orgId}`, sk: 'COUNTERS#SCANS' }, ConsistentRead: true }),
  );
  return (counters.Item?.total as number | undefined) ?? 0;
}

/** A COMPLETE scan's row carries the snapshot it was matched against, as every new one does. */
const withMatching = (scan: Scan): Scan =>
  scan.status === 'COMPLETE'
    ? {
        ...scan,
        matching: { status: 'MATCHED', snapshot: { builtAt: '2026-11-30T04:00:00.000Z', contentHash: 'sha256:' + 'ab'.repeat(32), advisories: 412_345 } },
      }
    : scan;

async function seed(orgId: string, target: number) {
  const from = await storedCount(orgId);
  if (from >= target) return;
  const started = Date.now();
  const chunks: number[][] = [];
  for (let i = from; i < target; i += 99) chunks.push(Array.from({ length: Math.min(99, target - i) }, (_, k) => i + k));
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < chunks.length) await repository.createScans(chunks[next++]!.map((i) => withMatching(makeScan(orgId, i))));
    }),
  );
  process.stderr.write(`seeded ${orgId}: ${target} scans (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** The baseline: one Query over the organisation's whole history (what counting and sorting in memory needs). */
async function baselineUnits(orgId: string): Promise<{ units: number; ms: number }> {
  const started = performance.now();
  let total = 0;
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: TABLE_NAME,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :s)',
        ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':s': 'SCAN#' },
        ReturnConsumedCapacity: 'TOTAL',
        ExclusiveStartKey: cursor,
      }),
    );
    total += page.ConsumedCapacity?.CapacityUnits ?? 0;
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return { units: total, ms: performance.now() - started };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const rows: string[] = [];
for (const size of SIZES) {
  const orgId = `org-bench-${size}`;
  await seed(orgId, size);
  const baseline = await baselineUnits(orgId);
  rows.push(`| ${size.toLocaleString('en')} | baseline: read the whole history | ${baseline.units.toFixed(1)} | ${baseline.ms.toFixed(0)} | 1.00 |`);
  for (const [label, params] of CASES) {
    const query = parseScanListQuery(params);
    const latencies: number[] = [];
    let consumed = 0;
    const runs = label.startsWith('search') ? 3 : RUNS;
    for (let run = 0; run < runs; run++) {
      units = 0;
      const started = performance.now();
      await repository.listScans(orgId, query);
      latencies.push(performance.now() - started);
      consumed = units;
    }
    rows.push(
      `| ${size.toLocaleString('en')} | ${label} | ${consumed.toFixed(1)} | ${median(latencies).toFixed(1)} | ${(consumed / baseline.units).toFixed(4)} |`,
    );
  }
}

const table = [
  '| scans in org | request (page 1, limit 50 unless noted) | read units | median ms | units ÷ baseline |',
  '|---:|---|---:|---:|---:|',
  ...rows,
].join('\n');
process.stdout.write(`${table}\n`);
await aws.stop();
