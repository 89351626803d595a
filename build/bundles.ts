// Every bundle HarborGuard ships, and the one set of esbuild options each kind is built with.
// `npm run build` (build/build.ts) writes them all to dist/; the scanner image's Dockerfile
// runs the same script for the scanner; infra/ bundles each Lambda through buildBundleSync at
// synth, so what is deployed is what was tested; bench/bundles.ts measures the same outputs.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, buildSync, type BuildOptions } from 'esbuild';

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = join(REPO_ROOT, 'dist');

/**
 * `scanner`: the CLI and the Fargate task, one folder sharing chunks (what the npm package and
 * the scanner image ship). `lambda`: one handler per folder, as Lambda loads it.
 */
export type BundleKind = 'scanner' | 'lambda';

export interface Bundle {
  name: string;
  kind: BundleKind;
  /** Entry modules, absolute: output name (without extension) → source. */
  entries: Record<string, string>;
  /** The folder the bundle is written to, relative to an output root (dist/ by default). */
  folder: string;
}

/** The scanner's entries: `harborguard.mjs` is the package's bin, `task.mjs` the image's entrypoint. */
const SCANNER_ENTRIES = {
  harborguard: join(REPO_ROOT, 'scanner-task', 'cli', 'main.ts'),
  task: join(REPO_ROOT, 'scanner-task', 'task', 'main.ts'),
};
export type ScannerEntry = keyof typeof SCANNER_ENTRIES;

export const SCANNER_BUNDLE: Bundle = { name: 'scanner', kind: 'scanner', entries: SCANNER_ENTRIES, folder: 'scanner' };

export const lambdaBundle = (name: string, entry: string): Bundle => ({ name, kind: 'lambda', entries: { index: entry }, folder: join('functions', name) });

// Some dependencies still call require() or read __dirname; ESM output needs them defined.
const REQUIRE_BANNER = "import { createRequire as __hgCreateRequire } from 'node:module'; const require = __hgCreateRequire(import.meta.url);";

const COMMON: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  // Built for the oldest Node the product supports: the same output runs on 20 and 22.
  target: 'node20',
  minify: true,
  mainFields: ['module', 'main'],
  outExtension: { '.js': '.mjs' },
  logLevel: 'error',
  legalComments: 'linked',
};

const OPTIONS: Record<BundleKind, BuildOptions> = {
  scanner: {
    ...COMMON,
    // The subcommands share most of their code; chunks keep each entry's own start-up to what it imports.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    // cyclonedx-library's optional validators and XML serialiser are never used (JSON output only)
    // and are required inside try/catch.
    external: ['ajv-formats-draft2019', 'libxmljs2', 'xmlbuilder2'],
    // sql.js loads sql-wasm.wasm from beside its own module, which a bundle does not keep; its
    // build with the WebAssembly inlined needs no file (parsed only when an rpm database is read).
    alias: { 'sql.js': 'sql.js/dist/sql-wasm-inline.js' },
    banner: { js: REQUIRE_BANNER },
    // The scanner reaches AWS only for ECR tokens and the advisory snapshot in S3: bundled, as
    // nothing provides an SDK where the CLI runs.
  },
  lambda: {
    ...COMMON,
    // The Lambda runtime provides the AWS SDK v3; bundling it would only slow cold starts.
    external: ['@aws-sdk/*', 'xmlbuilder2'],
    banner: { js: REQUIRE_BANNER },
  },
};

function esbuildOptions(bundle: Bundle, outdir: string): BuildOptions {
  return { ...OPTIONS[bundle.kind], entryPoints: bundle.entries, outdir, tsconfig: join(REPO_ROOT, 'tsconfig.json'), absWorkingDir: REPO_ROOT };
}

/**
 * Writes the bundle into `outdir` (default: its folder under dist/) file by file, each through a
 * rename, so that a scanner task starting meanwhile (the local stack runs them from this folder)
 * reads either the old file or the new one, never half of one. Chunks are named by their content:
 * a rebuild of the same sources rewrites the same names. With `prune`, files of earlier builds
 * are removed afterwards (npm run build); without, they stay for tasks still loading them.
 */
export async function buildBundle(bundle: Bundle, outdir = join(DIST_DIR, bundle.folder), { prune = false } = {}): Promise<string> {
  const { outputFiles } = await build({ ...esbuildOptions(bundle, outdir), write: false });
  const written = new Set<string>();
  for (const file of outputFiles) {
    mkdirSync(dirname(file.path), { recursive: true });
    const temporary = `${file.path}.${process.pid}.tmp`;
    writeFileSync(temporary, file.contents);
    renameSync(temporary, file.path);
    written.add(file.path);
  }
  if (prune) {
    for (const name of readdirSync(outdir, { recursive: true, encoding: 'utf8' })) {
      const path = join(outdir, name);
      if (!written.has(path) && statSync(path).isFile()) rmSync(path);
    }
  }
  return outdir;
}

/** The same, synchronously: CDK's local bundling (infra/constructs/harbor-function.ts) cannot wait. */
export function buildBundleSync(bundle: Bundle, outdir: string): void {
  buildSync(esbuildOptions(bundle, outdir));
}
