// The scanner image ships the scanner bundle `npm run build` writes (build/bundles.ts), built by
// the same script inside the image build, and its entry points are where infra runs them.
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT, SCANNER_BUNDLE } from '../../build/bundles.ts';
import { CLI_BUNDLE } from '../../infra/constructs/advisory-updater.ts';
import { SCANNER_DOCKERFILE } from '../../infra/scanner-image.ts';

const dockerfile = readFileSync(SCANNER_DOCKERFILE, 'utf8');
const imageDir = dirname(CLI_BUNDLE);

it('builds the scanner bundle with the build script and copies its folder where the task and the updater run it', () => {
  expect(dockerfile).toMatch(/^RUN npx tsx build\/build\.ts scanner$/m);
  expect(dockerfile).toContain(`COPY --from=engine /src/dist/${SCANNER_BUNDLE.folder} ${imageDir}\n`);
  const entrypoint = /^ENTRYPOINT \[(.*)\]$/m.exec(dockerfile)![1];
  expect(JSON.parse(`[${entrypoint}]`)).toEqual(['node', join(imageDir, 'task.mjs')]);
  // The entry names are the bundle's own.
  expect(Object.keys(SCANNER_BUNDLE.entries).map((name) => `${name}.mjs`)).toEqual(expect.arrayContaining([basename(CLI_BUNDLE), 'task.mjs']));
});

it('has the build script in the image build context', () => {
  const ignore = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
  expect(ignore).toContain('!build/');
  for (const source of Object.values(SCANNER_BUNDLE.entries)) expect(ignore).toContain(`!${source.slice(REPO_ROOT.length + 1).split('/')[0]}/`);
});
