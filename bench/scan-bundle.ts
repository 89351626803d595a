// Bundles a bench entry point with esbuild into one plain ESM file, as the scanner ships (the Fargate
// task and the CLI bundle the same way), so runs measure the engine and not the TypeScript loader.
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { build } from 'esbuild';

const OUT = resolve(import.meta.dirname, '..', '.cache', 'bench-bundles');

export async function bundle(entry: string): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const outfile = join(OUT, basename(entry).replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [resolve(import.meta.dirname, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // sql.js finds its .wasm beside its own file; the AWS SDK is imported lazily for ECR hosts only.
    // Both load from node_modules when needed instead of being parsed by every scan.
    external: ['sql.js', '@aws-sdk/*'],
    banner: { js: "import { createRequire as __hgRequire } from 'node:module'; const require = __hgRequire(import.meta.url);" },
    logLevel: 'error',
  });
  return outfile;
}
