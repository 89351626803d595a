// npm run build [scanner] [lambdas]: bundles into dist/ (build/bundles.ts has what and how).
// With no argument, everything. The scanner image builds `scanner` alone, from a context that
// holds no functions/ (scanner-task/Dockerfile), so the Lambdas' list is imported only when asked.
import { relative } from 'node:path';
import { buildBundle, DIST_DIR, REPO_ROOT, SCANNER_BUNDLE, type Bundle } from './bundles.ts';

const TARGETS = ['scanner', 'lambdas'] as const;
type Target = (typeof TARGETS)[number];

async function lambdaBundles(): Promise<Bundle[]> {
  const { allLambdaBundles } = await import('./lambda-bundles.ts');
  return allLambdaBundles();
}

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(TARGETS as readonly string[]).includes(name));
if (unknown.length > 0) {
  process.stderr.write(`build: unknown target ${unknown.join(', ')}; known: ${TARGETS.join(', ')}\n`);
  process.exit(2);
}
const targets: Target[] = asked.length === 0 ? [...TARGETS] : (asked as Target[]);

const started = performance.now();
for (const target of targets) {
  const bundles = target === 'scanner' ? [SCANNER_BUNDLE] : await lambdaBundles();
  // No chunk of an earlier build lingers, and no file is missing while a local task loads it.
  for (const bundle of bundles) await buildBundle(bundle, undefined, { prune: true });
  process.stdout.write(`built ${target}: ${bundles.length} bundle(s) in ${relative(REPO_ROOT, DIST_DIR)}/\n`);
}
process.stdout.write(`done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
