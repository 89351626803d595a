// Replaces one benchmark's own section of docs/PERFORMANCE.md (other sections belong to
// other benchmarks); a section's first line is its heading.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export function replaceSection(document: string, section: string): string {
  const heading = section.slice(0, section.indexOf('\n'));
  const start = document.indexOf(heading);
  if (start === -1) return `${document.trimEnd()}${document.trim() ? '\n\n' : '# Performance\n\n'}${section.trimEnd()}\n`;
  const next = document.indexOf('\n## ', start + heading.length);
  return `${document.slice(0, start)}${section.trimEnd()}\n${next === -1 ? '' : document.slice(next)}`;
}

/** Writes `section` into docs/PERFORMANCE.md in place of its previous version. */
export function recordSection(section: string): void {
  const file = resolve(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceSection(current, section));
}
