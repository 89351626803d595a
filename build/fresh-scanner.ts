// The scanner bundle, rebuilt only when a source is newer than it: what the local stack's ECS
// endpoint runs as each scanner task (local/ecs-endpoint.ts), so that a local scan runs the
// bundle the image ships and does not compile TypeScript at every task start, yet never runs
// code older than the checkout.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildBundle, DIST_DIR, REPO_ROOT, SCANNER_BUNDLE, type ScannerEntry } from './bundles.ts';

/** What the scanner bundle is built from: its sources, the build itself, and the dependencies' lockfile. */
const SOURCES = ['scanner-task', 'shared', 'build', 'package-lock.json', 'tsconfig.json'];
const NOT_BUNDLED = /(?:\.test\.ts$|\/testdata\/|\/testing\/)/;

function newestSourceMs(): number {
  let newest = 0;
  for (const source of SOURCES) {
    const path = join(REPO_ROOT, source);
    const files = statSync(path).isDirectory() ? readdirSync(path, { recursive: true, encoding: 'utf8' }).map((file) => join(path, file)) : [path];
    for (const file of files) if (!NOT_BUNDLED.test(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

const outdir = join(DIST_DIR, SCANNER_BUNDLE.folder);
let building: Promise<void> | undefined;

/** The path of the bundle's entry `name` (e.g. `task.mjs`), built first if any source is newer. */
export async function freshScannerEntry(name: ScannerEntry): Promise<string> {
  const entry = join(outdir, `${name}.mjs`);
  // Chunks are named by their content, so files a running task still loads are rewritten
  // with the same bytes or left beside the new ones (npm run build clears the folder).
  building ??= (async () => {
    if (!existsSync(entry) || statSync(entry).mtimeMs < newestSourceMs()) await buildBundle(SCANNER_BUNDLE, outdir);
  })().finally(() => (building = undefined));
  await building;
  return entry;
}
