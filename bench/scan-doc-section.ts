// Replaces this benchmark's own section of docs/PERFORMANCE.md (other sections belong to others).
// Run under the repository's git lock: flock /tmp/hg-git.lock node --import tsx bench/scan-doc-section.ts <section.md>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const SECTION_HEADING = '## Scanner engine (npm run bench:scan)';

export function replaceSection(document: string, section: string): string {
  const start = document.indexOf(SECTION_HEADING);
  if (start === -1) return `${document.trimEnd()}${document.trim() ? '\n\n' : '# Performance\n\n'}${section.trimEnd()}\n`;
  const next = document.indexOf('\n## ', start + SECTION_HEADING.length);
  return `${document.slice(0, start)}${section.trimEnd()}\n${next === -1 ? '' : document.slice(next)}`;
}

if (process.argv[1] === import.meta.filename) {
  const file = resolve(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceSection(current, readFileSync(process.argv[2]!, 'utf8')));
}
