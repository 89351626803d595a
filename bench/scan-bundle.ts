// Bundles a bench entry point as the scanner ships (build/bundles.ts: the scanner's esbuild options,
// the ones the CLI and the Fargate task are built with), so runs measure the engine as users run it
// and not the TypeScript loader.
import { basename, join, resolve } from 'node:path';
import { buildBundle } from '../build/bundles.ts';

const OUT = resolve(import.meta.dirname, '..', '.cache', 'bench-bundles');

export async function bundle(entry: string): Promise<string> {
  const name = basename(entry, '.ts');
  const outdir = join(OUT, name);
  await buildBundle({ name, kind: 'scanner', entries: { [name]: resolve(import.meta.dirname, entry) }, folder: name }, outdir, { prune: true });
  return join(outdir, `${name}.mjs`);
}
