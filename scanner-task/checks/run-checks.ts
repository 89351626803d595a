// Runs every check on a scanned image; a check that does not apply is left out of the results.
import type { ImageScan } from '../engine/scan-image.ts';
import type { CheckDefinition, CheckResult } from './check.ts';
import { checkDefinitions } from './rules.ts';

export function runChecks(scan: ImageScan, definitions: readonly CheckDefinition[] = checkDefinitions): CheckResult[] {
  const results: CheckResult[] = [];
  for (const check of definitions) {
    const details = check.run(scan);
    if (details === undefined) continue;
    results.push({ id: check.id, title: check.title, level: details.length > 0 ? check.level : 'PASS', details, advisory: check.level === 'INFO' });
  }
  return results;
}
