// Replaces one benchmark's own section of docs/PERFORMANCE.md (other sections belong to
// others); a section's first line is its heading. Every bench records through here, under
// the repository's git lock, so a recording never interleaves with another session's commit:
// flock /tmp/hg-git.lock node --import tsx bench/doc-section.ts <section.md>
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export function replaceSection(document: string, section: string): string {
  const heading = section.slice(0, section.indexOf('\n'));
  const start = document.indexOf(heading);
  if (start === -1) return `${document.trimEnd()}${document.trim() ? '\n\n' : '# Performance\n\n'}${section.trimEnd()}\n`;
  const next = document.indexOf('\n## ', start + heading.length);
  return `${document.slice(0, start)}${section.trimEnd()}\n${next === -1 ? '' : document.slice(next)}`;
}

/** Writes `section` into docs/PERFORMANCE.md in place of its previous version, under the git lock. */
export function recordSection(section: string): void {
  const sectionFile = join(tmpdir(), `hg-bench-section-${process.pid}.md`);
  writeFileSync(sectionFile, section);
  execFileSync('flock', ['/tmp/hg-git.lock', process.execPath, '--import', 'tsx', import.meta.filename, sectionFile], { stdio: 'inherit' });
}

if (process.argv[1] === import.meta.filename) {
  const file = resolve(import.meta.dirname, '..', 'docs', 'PERFORMANCE.md');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  writeFileSync(file, replaceSection(current, readFileSync(process.argv[2]!, 'utf8')));
}
