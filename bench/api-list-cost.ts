// npm run bench:api — what one GET /api/scans page, a search, and a GET /api/images page cost
// as an organisation grows. Seeds 1,000 / 10,000 / 100,000 scans, one organisation per size,
// spread over a catalogue of 2,000 tags in 200 repositories (the same catalogue at every size), on
// DynamoDB Local, and measures page 1 (limit 50) for every sort order, a status filter, searches
// and the images views: read units consumed (as DynamoDB reports them with
// ReturnConsumedCapacity) and latency. The baseline, measured in the same run, is what a list
// without indexes or counters pays: reading the organisation's whole history.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { startLocalAws, createStackResources } from '../local/local-aws.ts';
import { DynamoDbCatalogueRepository } from '../functions/adapters/dynamodb/catalogue/catalogue-repository.ts';
import { documentClient } from '../functions/adapters/dynamodb/document-client.ts';
import { DynamoDbScanStore } from '../functions/adapters/dynamodb/scans/dynamodb-scan-store.ts';
import { DynamoDbTriageRepository } from '../functions/adapters/dynamodb/triage-repository.ts';
import { DynamoDbVulnerabilityRepository } from '../functions/adapters/dynamodb/catalogue/vulnerability-repository.ts';
import type { Finding } from '../functions/domain/findings/finding.ts';
import type { Principal } from '../functions/domain/identity/principal.ts';
import { imageIdOf } from '../functions/domain/images/catalogue.ts';
import { getVulnerability, listVulnerabilities } from '../functions/domain/vulnerabilities/list-vulnerabilities.ts';
import { parseVulnerabilityListQuery } from '../functions/domain/vulnerabilities/vulnerability-list-query.ts';
import { parseImageListQuery } from '../functions/domain/images/image-list-query.ts';
import { getImageDetails, imageHistory, listImages } from '../functions/domain/images/list-images.ts';
import { parseScanListQuery } from '../functions/domain/scans/list-query.ts';
import type { Scan } from '../functions/domain/scans/scan.ts';
import { makeScan } from '../test/support/scan-factory.ts';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
/** BENCH_BASELINE=0 skips the whole-history read (minutes at 100,000 scans on DynamoDB Local). */
const BASELINE = process.env.BENCH_BASELINE !== '0';
const CASES: Array<[string, Record<string, string>]> = [
  ['sort=scannedAt:desc', { sort: 'scannedAt:desc' }],
  ['sort=scannedAt:asc', { sort: 'scannedAt:asc' }],
  ['sort=status:asc', { sort: 'status:asc' }],
  ['sort=compliance:asc', { sort: 'compliance:asc' }],
  ['sort=riskScore:desc', { sort: 'riskScore:desc' }],
  ['status=COMPLETE', { status: 'COMPLETE' }],
  ['status=QUEUED&sort=riskScore:desc', { status: 'QUEUED', sort: 'riskScore:desc' }],
  ['page=10 (offset 450)', { page: '10' }],
  ['search=service-042 (1 repository: 10 of 2,000 tags)', { search: 'service-042' }],
  ['search=service-042&status=COMPLETE&sort=riskScore:desc', { search: 'service-042', status: 'COMPLETE', sort: 'riskScore:desc' }],
  ['search=service-04 (10 repositories: 100 tags)', { search: 'service-04' }],
];
const IMAGE_CASES: Array<[string, Record<string, string>]> = [
  ['GET /api/images (name:asc)', {}],
  ['GET /api/images?sort=riskScore:desc', { sort: 'riskScore:desc' }],
  ['GET /api/images?sort=lastScannedAt:desc', { sort: 'lastScannedAt:desc' }],
  ['GET /api/images?grade=D,F', { grade: 'D,F' }],
  ['GET /api/images?registry=ghcr.io&minRisk=50', { registry: 'ghcr.io', minRisk: '50' }],
  ['GET /api/images?search=service-04', { search: 'service-04' }],
  ['GET /api/images?page=4', { page: '4' }],
];
const VULNERABILITY_CASES: Array<[string, Record<string, string>]> = [
  ['GET /api/vulnerabilities (severity:desc)', {}],
  ['GET /api/vulnerabilities?sort=epss:desc', { sort: 'epss:desc' }],
  ['GET /api/vulnerabilities?severity=CRITICAL,HIGH&fixable=true', { severity: 'CRITICAL,HIGH', fixable: 'true' }],
  ['GET /api/vulnerabilities?kev=true&status=OPEN', { kev: 'true', status: 'OPEN' }],
  ['GET /api/vulnerabilities?search=openssl', { search: 'openssl' }],
  ['GET /api/vulnerabilities?page=6', { page: '6' }],
];
/** Each tag's current findings: 20 of a pool of 600 vulnerabilities. */
const POOL = 600;
const FINDINGS_PER_TAG = Number(process.env.BENCH_FINDINGS_PER_TAG ?? 20);
/**
 * BENCH_VULNERABILITIES_ONLY=1 measures the vulnerabilities views alone, in an organisation with
 * the catalogue and no scans: they read no scan item, so its history does not change their cost.
 */
const VULNERABILITIES_ONLY = process.env.BENCH_VULNERABILITIES_ONLY === '1';
const PACKAGES = ['openssl', 'zlib', 'glibc', 'curl', 'libxml2', 'lodash', 'minimist', 'express', 'requests', 'log4j-core'];
/** The catalogue every organisation gets: 200 repositories of 10 tags. */
const REPOSITORIES = 200;
const TAGS_PER_REPOSITORY = 10;
const TAGS = REPOSITORIES * TAGS_PER_REPOSITORY;
const tagRef = (t: number) => ({
  name: `ghcr.io/acme/service-${String(Math.floor(t / TAGS_PER_REPOSITORY)).padStart(3, '0')}`,
  tag: `1.${t % TAGS_PER_REPOSITORY}.0`,
});

// Seeding 111,000 scans through the real write path takes DynamoDB Local many minutes, so the
// database is kept between runs (delete .cache/bench-api/ to start over).
const aws = await startLocalAws({ dynamoDbDir: '.cache/bench-api/dynamodb' });
const { TABLE_NAME } = await createStackResources('bench');
let units = 0;
const meter = (_op: string, consumed: number) => (units += consumed);
const repository = new DynamoDbScanStore(documentClient(), TABLE_NAME, meter);
const catalogue = new DynamoDbCatalogueRepository(documentClient(), TABLE_NAME, meter);
const vulnerabilities = new DynamoDbVulnerabilityRepository(documentClient(), TABLE_NAME, meter);
const triage = new DynamoDbTriageRepository(documentClient(), TABLE_NAME);

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

async function inParallel(count: number, work: (i: number) => Promise<void>, workers = 4): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

/**
 * The catalogue through ingest's own writes: each tag record (which joins its repository), then
 * each tag's current state (swapLatestScan, which also keeps the repository's summary). A tag
 * whose state is already there refuses the swap and changes nothing.
 */
async function seedCatalogue(orgId: string): Promise<string[]> {
  const started = Date.now();
  const tagIds: string[] = [];
  await inParallel(TAGS, async (t) => {
    const { name, tag } = tagRef(t);
    tagIds[t] = await repository.ensureTag(orgId, name, tag);
  });
  await inParallel(TAGS, async (t) => {
    await triage.swapLatestScan(orgId, tagIds[t]!, {
      scanId: `scn-bench${t}`,
      scannedAt: new Date(Date.UTC(2026, 10, 1) + t * 60_000).toISOString(),
      snapshotHash: 'sha256:' + 'ab'.repeat(32),
      digest: 'sha256:' + t.toString(16).padStart(64, '0'),
      riskScore: (t * 37) % 101,
      grade: (['A', 'B', 'C', 'D', 'F'] as const)[t % 5]!,
      severityCounts: { CRITICAL: t % 3, HIGH: t % 7, MEDIUM: t % 11, LOW: t % 13, INFO: 0 },
    });
  });
  process.stderr.write(`catalogue of ${orgId}: ${TAGS} tags (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return tagIds;
}

function findingOf(t: number, k: number): Finding {
  const v = (t * 7 + k * 31) % POOL;
  const severity = (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'] as const)[v % 5]!;
  return {
    id: `fnd-bench${t}.${String(k).padStart(20, '0')}`,
    scanId: `scn-bench${t}`,
    cveId: `CVE-2025-${10_000 + v}`,
    severity,
    cvss: v % 7 === 0 ? null : (v % 100) / 10,
    package: PACKAGES[v % PACKAGES.length]!,
    version: `1.${v % 13}.${v % 7}`,
    fixedVersion: v % 3 === 0 ? null : `1.${v % 13}.${(v % 7) + 1}`,
    scanner: 'harborguard',
    sources: ['harborguard'],
    triage: {
      status: 'OPEN',
      assignee: null,
      slaDeadline: new Date(Date.UTC(2026, 11, 1) + v * 3_600_000).toISOString(),
      note: null,
      updatedBy: null,
      updatedAt: null,
    },
    timeline: { detectedAt: '2026-11-01T00:00:00.000Z', firstSeenAt: new Date(Date.UTC(2026, 9, 1) + v * 60_000).toISOString(), resolvedAt: null },
    title: `Flaw ${v} in ${PACKAGES[v % PACKAGES.length]}`,
    knownExploited: v % 17 === 0,
    epss: (v % 97) / 97,
  };
}

/** Each tag's current findings through ingest's own write (replaceCurrentFindings), once per organisation. */
async function seedVulnerabilities(orgId: string, tagIds: string[]): Promise<void> {
  // Seeded when the last tags (written last) have their open vulnerabilities.
  if ((await vulnerabilities.openOnImage(orgId, imageIdOf(tagRef(TAGS - 1).name))).size > 0 && (await vulnerabilities.listSummaries(orgId)).length >= POOL)
    return;
  const started = Date.now();
  await inParallel(
    TAGS,
    async (t) => {
      const { name, tag } = tagRef(t);
      const findings = Array.from({ length: FINDINGS_PER_TAG }, (_, k) => findingOf(t, k));
      await triage.replaceCurrentFindings(orgId, { tagId: tagIds[t]!, imageId: imageIdOf(name), image: name, tag }, undefined, {
        scanId: `scn-bench${t}`,
        findings,
      });
    },
    8,
  );
  process.stderr.write(`vulnerabilities of ${orgId}: ${TAGS * FINDINGS_PER_TAG} records (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** Scan i belongs to tag i mod 2,000, and names its image as the tag does. */
const scanOf = (orgId: string, i: number, tagIds: string[]): Scan => {
  const scan = makeScan(orgId, i, tagIds[i % TAGS]);
  return withMatching({ ...scan, image: { ...tagRef(i % TAGS), digest: null } });
};

async function seed(orgId: string, target: number, tagIds: string[]) {
  const from = await storedCount(orgId);
  if (from >= target) return;
  const started = Date.now();
  const chunks: number[][] = [];
  for (let i = from; i < target; i += 99) chunks.push(Array.from({ length: Math.min(99, target - i) }, (_, k) => i + k));
  await inParallel(chunks.length, (c) => repository.createScans(chunks[c]!.map((i) => scanOf(orgId, i, tagIds))));
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
const imageRows: string[] = [];
if (VULNERABILITIES_ONLY) {
  const orgId = `org-bench-vulns-${FINDINGS_PER_TAG}`;
  const tagIds = await seedCatalogue(orgId);
  await seedVulnerabilities(orgId, tagIds);
  const principal: Principal = { orgId, role: 'viewer', kind: 'api_key', credentialId: 'bench', sensor: false };
  const imageId = imageIdOf(tagRef(420).name);
  const byImage: [string, Record<string, string>] = ['GET /api/vulnerabilities?image=<service-042>', { image: imageId }];
  for (const [label, params] of [...VULNERABILITY_CASES, byImage]) {
    const query = parseVulnerabilityListQuery(params);
    const result = await measure(RUNS, () => listVulnerabilities(principal, query, { vulnerabilities }));
    imageRows.push(`| any | ${label} | ${result.units.toFixed(1)} | ${result.ms.toFixed(1)} |`);
  }
  const cve = await measure(RUNS, () => getVulnerability(principal, 'CVE-2025-10042', { vulnerabilities }));
  imageRows.push(`| any | GET /api/vulnerabilities/{id} (${(TAGS * FINDINGS_PER_TAG) / POOL} tags) | ${cve.units.toFixed(1)} | ${cve.ms.toFixed(1)} |`);
}
for (const size of VULNERABILITIES_ONLY ? [] : SIZES) {
  const orgId = `org-bench-${size}`;
  const tagIds = await seedCatalogue(orgId);
  await seed(orgId, size, tagIds);
  await seedVulnerabilities(orgId, tagIds);
  const baseline = BASELINE ? await baselineUnits(orgId) : undefined;
  if (baseline)
    rows.push(`| ${size.toLocaleString('en')} | baseline: read the whole history | ${baseline.units.toFixed(1)} | ${baseline.ms.toFixed(0)} | 1.00 |`);
  const ratio = (units: number) => (baseline ? (units / baseline.units).toFixed(4) : '—');
  for (const [label, params] of CASES) {
    const query = parseScanListQuery(params);
    const result = await measure(label.startsWith('search') ? 5 : RUNS, () => repository.listScans(orgId, query));
    rows.push(`| ${size.toLocaleString('en')} | ${label} | ${result.units.toFixed(1)} | ${result.ms.toFixed(1)} | ${ratio(result.units)} |`);
  }

  // A whole scan id: the one scan, read by its key beside the catalogue.
  const one = (await repository.listScans(orgId, parseScanListQuery({ limit: '1' }))).items[0]!;
  const byId = await measure(3, () => repository.listScans(orgId, parseScanListQuery({ search: one.id })));
  rows.push(`| ${size.toLocaleString('en')} | search=<a whole scan id> | ${byId.units.toFixed(1)} | ${byId.ms.toFixed(1)} | ${ratio(byId.units)} |`);

  const principal: Principal = { orgId, role: 'viewer', kind: 'api_key', credentialId: 'bench', sensor: false };
  for (const [label, params] of IMAGE_CASES) {
    const query = parseImageListQuery(params);
    const result = await measure(RUNS, () => listImages(principal, query, { catalogue }));
    imageRows.push(`| ${size.toLocaleString('en')} | ${label} | ${result.units.toFixed(1)} | ${result.ms.toFixed(1)} |`);
  }
  const imageId = (await listImages(principal, parseImageListQuery({ search: 'service-042' }), { catalogue })).items[0]!.id;
  const detail = await measure(RUNS, () => getImageDetails(principal, imageId, { catalogue }));
  imageRows.push(`| ${size.toLocaleString('en')} | GET /api/images/{id} (10 tags) | ${detail.units.toFixed(1)} | ${detail.ms.toFixed(1)} |`);
  const history = await measure(5, () => imageHistory(principal, imageId, { catalogue }));
  imageRows.push(
    `| ${size.toLocaleString('en')} | GET /api/images/{id}/history (${size / REPOSITORIES} scans) | ${history.units.toFixed(1)} | ${history.ms.toFixed(1)} |`,
  );
  const byImage: [string, Record<string, string>] = ['GET /api/vulnerabilities?image=<service-042>', { image: imageId }];
  for (const [label, params] of [...VULNERABILITY_CASES, byImage]) {
    const query = parseVulnerabilityListQuery(params);
    const result = await measure(RUNS, () => listVulnerabilities(principal, query, { vulnerabilities }));
    imageRows.push(`| ${size.toLocaleString('en')} | ${label} | ${result.units.toFixed(1)} | ${result.ms.toFixed(1)} |`);
  }
  const cve = await measure(RUNS, () => getVulnerability(principal, 'CVE-2025-10042', { vulnerabilities }));
  imageRows.push(
    `| ${size.toLocaleString('en')} | GET /api/vulnerabilities/{id} (${(TAGS * FINDINGS_PER_TAG) / POOL} tags) | ${cve.units.toFixed(1)} | ${cve.ms.toFixed(1)} |`,
  );
}

/** Read units of one call (the same every run) and its median latency. */
async function measure(runs: number, call: () => Promise<unknown>): Promise<{ units: number; ms: number }> {
  const latencies: number[] = [];
  let consumed = 0;
  for (let run = 0; run < runs; run++) {
    units = 0;
    const started = performance.now();
    await call();
    latencies.push(performance.now() - started);
    consumed = units;
  }
  return { units: consumed, ms: median(latencies) };
}

const table = [
  '| scans in org | request (page 1, limit 50 unless noted) | read units | median ms | units ÷ baseline |',
  '|---:|---|---:|---:|---:|',
  ...rows,
].join('\n');
const images = ['| scans in org | request (page 1, limit 50 unless noted) | read units | median ms |', '|---:|---|---:|---:|', ...imageRows].join('\n');
process.stdout.write(`${table}\n\n${images}\n`);
await aws.stop();
