// npm run bench:bundles — what each Lambda costs at cold start. Every function is bundled exactly
// as infra/ deploys it and `npm run build` writes it (build/bundles.ts); for each
// bundle: its size, and the wall time of a fresh `node` process that imports it (building the
// handler), as a ratio to a process that only imports @aws-sdk/client-dynamodb and creates a
// client, measured in the same run, interleaved. The AWS SDK stays external, as on Lambda, where
// the runtime provides it; here it resolves from node_modules.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle, REPO_ROOT } from '../build/bundles.ts';
import { allLambdaBundles } from '../build/lambda-bundles.ts';
import { ROUTE_GROUPS } from '../functions/http/route-groups.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const API_BUNDLE_LIMIT = 500 * 1024;
const INIT_RATIO_LIMIT = 1.5;
// Inside the repository so that the external @aws-sdk/* imports resolve from its node_modules.
const OUT = join(REPO_ROOT, '.cache', 'bench-bundles');

const apiNames = new Set(ROUTE_GROUPS.map((group) => group.name));
rmSync(OUT, { recursive: true, force: true });
const bundles = [];
for (const bundle of allLambdaBundles()) {
  const outfile = join(await buildBundle(bundle, join(OUT, bundle.name)), 'index.mjs');
  bundles.push({ name: bundle.name, kind: apiNames.has(bundle.name) ? ('api' as const) : ('job' as const), outfile, bytes: statSync(outfile).size });
}

const baselineFile = join(OUT, 'baseline.mjs');
mkdirSync(OUT, { recursive: true });
writeFileSync(baselineFile, "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nnew DynamoDBClient({});\n");

// No configuration that would make a handler module do work at import (the session secret ARN
// makes functions/composition/api.ts call Secrets Manager during init).
const env = { PATH: process.env.PATH, AWS_REGION: 'us-east-1', NODE_ENV: 'production' };
function timeProcess(file: string, check = false): number {
  const start = process.hrtime.bigint();
  const code = check
    ? `const m = await import(${JSON.stringify(file)}); if (typeof m.handler !== 'function') process.exit(3);`
    : `await import(${JSON.stringify(file)});`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { env, cwd: REPO_ROOT, encoding: 'utf8' });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${file}: exit ${result.status}\n${result.stderr}`);
  return elapsed;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const baseline: number[] = [];
const samples = new Map<string, number[]>(bundles.map((bundle) => [bundle.name, []]));
// One warm-up each (file system cache), then interleaved runs so that machine load hits all alike.
timeProcess(baselineFile);
for (const bundle of bundles) timeProcess(bundle.outfile, true);
for (let run = 0; run < RUNS; run++) {
  baseline.push(timeProcess(baselineFile));
  for (const bundle of bundles) samples.get(bundle.name)!.push(timeProcess(bundle.outfile, true));
}

const base = median(baseline);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const lines = [
  `| function | kind | bundle (minified) | init (fresh node, median of ${RUNS}) | vs baseline | targets |`,
  '| --- | --- | --- | --- | --- | --- |',
  `| baseline: import @aws-sdk/client-dynamodb + new DynamoDBClient | — | — | ${base.toFixed(0)} ms | 1.00× | |`,
];
let failed = false;
for (const bundle of bundles) {
  const init = median(samples.get(bundle.name)!);
  const ratio = init / base;
  const ok = bundle.kind === 'job' || (bundle.bytes <= API_BUNDLE_LIMIT && ratio <= INIT_RATIO_LIMIT);
  failed ||= !ok;
  lines.push(
    `| ${bundle.name} | ${bundle.kind} | ${kb(bundle.bytes)} | ${init.toFixed(0)} ms | ${ratio.toFixed(2)}× | ${bundle.kind === 'api' ? (ok ? 'met' : 'MISSED') : '(API targets only)'} |`,
  );
}
process.stdout.write(
  `${lines.join('\n')}\n\nNode ${process.version}, ${RUNS} runs each, interleaved. Targets (API bundles): ≤ ${kb(API_BUNDLE_LIMIT)} minified, init ≤ ${INIT_RATIO_LIMIT}× baseline.\n`,
);
rmSync(OUT, { recursive: true, force: true });
if (failed) process.exitCode = 1;
