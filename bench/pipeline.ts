// npm run bench:pipeline — a scan from POST to COMPLETE on the local stack, step by step, and
// what ingest costs for envelopes of 100 / 5,000 / 20,000 packages.
// Part 1 polls the scan's status every 20 ms and times each change: queue → dispatch (IN_PROGRESS),
// dispatch → task start (the task's first progress report), scan (until it reports "uploading"),
// upload + ingest (until COMPLETE). The baseline, in the same run, is the engine alone scanning
// the same image from the same registry in this process.
// Part 2 runs the ingest domain function on the real adapters and counts write units as
// DynamoDB reports them (scan record, counters, findings).
import { runScan } from '../scanner-task/engine/run-scan.ts';
import { push, startRegistry } from '../scanner-task/testing/local-registry.ts';
import { startLocalAws } from '../local/local-aws.ts';
import { startTestStack } from '../test/support/test-stack.ts';
import { seedOrganization } from '../test/support/seed.ts';
import { sampleEnvelope } from '../test/support/envelopes.ts';
import { writeAppImage } from '../test/pipeline/pipeline-support.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const aws = await startLocalAws();
const stack = await startTestStack({ pipeline: true, env: { POWERTOOLS_LOG_LEVEL: 'SILENT', HG_LOCAL_LAMBDA_TIMEOUT_SECONDS: '600' } });
const org = await seedOrganization('bench');
const registry = await startRegistry();
push(await writeAppImage(), registry.host, 'example/app:1.0');
const image = `${registry.host}/example/app:1.0`;
const headers = { 'X-API-Key': org.apiKeys.admin, 'Content-Type': 'application/json' };

const steps: Record<string, number[]> = {
  'queue → dispatch': [],
  'dispatch → task start': [],
  'scan (pull + analyse)': [],
  'upload + ingest': [],
  'POST → COMPLETE': [],
};
const engineOnly: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const engineStarted = performance.now();
  await runScan(image, { insecure: true });
  engineOnly.push(performance.now() - engineStarted);

  const t0 = performance.now();
  const { scanId } = (await (await fetch(`${stack.baseUrl}/api/scans`, { method: 'POST', headers, body: JSON.stringify({ image }) })).json()) as {
    scanId: string;
  };
  const seen: Record<string, number> = {};
  for (;;) {
    const { data } = (await (await fetch(`${stack.baseUrl}/api/scans/${scanId}/status`, { headers })).json()) as {
      data: { status: string; progress?: { stage: string } };
    };
    const at = performance.now() - t0;
    if (data.status === 'IN_PROGRESS') seen.dispatched ??= at;
    if (data.progress?.stage === 'pulling' || data.progress?.stage === 'scanning') seen.taskStarted ??= at;
    if (data.progress?.stage === 'uploading') seen.scanned ??= at;
    if (data.status === 'COMPLETE') {
      seen.complete = at;
      break;
    }
    if (data.status === 'FAILED') throw new Error(`bench scan failed: ${JSON.stringify(data)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  // A step too short to be seen between two polls is counted as 0 and its time goes to the next.
  seen.dispatched ??= seen.complete;
  seen.taskStarted ??= seen.dispatched;
  seen.scanned ??= seen.taskStarted;
  steps['queue → dispatch']!.push(seen.dispatched);
  steps['dispatch → task start']!.push(seen.taskStarted - seen.dispatched);
  steps['scan (pull + analyse)']!.push(seen.scanned - seen.taskStarted);
  steps['upload + ingest']!.push(seen.complete - seen.scanned);
  steps['POST → COMPLETE']!.push(seen.complete);
}

const engine = median(engineOnly);
const lines = [
  '| step (median of ' + RUNS + ') | ms | ÷ engine alone |',
  '|---|---:|---:|',
  `| baseline: engine alone, same image and registry, in-process | ${engine.toFixed(0)} | 1.00 |`,
];
for (const [step, values] of Object.entries(steps)) lines.push(`| ${step} | ${median(values).toFixed(0)} | ${(median(values) / engine).toFixed(2)} |`);

// Part 2: ingest cost.
const { DynamoDbScanStore } = await import('../functions/adapters/dynamodb/scans/dynamodb-scan-store.ts');
const { documentClient } = await import('../functions/adapters/dynamodb/document-client.ts');
const { ingestEnvelope } = await import('../functions/domain/scans/ingest-envelope.ts');
const { apiDependencies } = await import('../functions/composition/api.ts');
lines.push('', '| envelope | findings | ingest ms | write units (scan, counters, findings) |', '|---|---:|---:|---:|');
for (const packages of [100, 5_000, 20_000]) {
  let units = 0;
  const scans = new DynamoDbScanStore(documentClient(), process.env.TABLE_NAME!, (_operation, consumed) => (units += consumed));
  const findings = Math.round(packages / 4);
  const envelope = sampleEnvelope({
    packages: Array.from({ length: packages }, (_, i) => ({ name: `pkg-${i}`, version: '1.0.0', type: 'npm', purl: `pkg:npm/pkg-${i}@1.0.0` })),
    vulnerabilities: Array.from({ length: findings }, (_, i) => ({
      id: `CVE-2025-${100000 + i}`,
      severity: 'HIGH' as const,
      cvss: 7.5,
      package: `pkg-${i}`,
      version: '1.0.0',
    })),
  });
  const sensor = { orgId: org.orgId, role: 'developer' as const, kind: 'api_key' as const, credentialId: 'bench', sensor: true };
  const started = performance.now();
  await ingestEnvelope(sensor, envelope, { ...apiDependencies(), scans });
  lines.push(
    `| ${packages.toLocaleString('en')} packages | ${findings.toLocaleString('en')} | ${(performance.now() - started).toFixed(0)} | ${units.toFixed(0)} |`,
  );
}

process.stdout.write(lines.join('\n') + '\n');
await stack.close();
await registry.stop();
await aws.stop();
process.exit(0);
