// Two tiers: `unit` (npm run test:unit) starts nothing and runs every test file that needs no
// local AWS; `stack` starts DynamoDB Local and fauxqs once (test/global-setup.ts) for the files
// that do. test/stack-tier.ts tells them apart from the files' imports. `npm test` runs both.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { LOCAL_CREDENTIALS } from './local/local-aws.ts';
import { testFiles, testsNeedingStack } from './test/stack-tier.ts';

const root = fileURLToPath(new URL('.', import.meta.url));
const stackFiles = testsNeedingStack(root);
// The CLI's layer cache, for the CLI runs of one test run: never the user's own ~/.cache.
const layerCache = { HARBORGUARD_CACHE_DIR: join(tmpdir(), `hg-test-layer-cache-${process.pid}`) };

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ['default', './test/skip-summary-reporter.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: testFiles(root).filter((file) => !stackFiles.includes(file)),
          // The stack's region and fake credentials, without its endpoints: an SDK client a test
          // points at its own fake server works, and one that is not reaches nothing with them.
          // No log lines, as in the stack tier (test/setup-env.ts).
          env: { ...LOCAL_CREDENTIALS, POWERTOOLS_LOG_LEVEL: 'SILENT', ...layerCache },
        },
      },
      {
        extends: true,
        test: { name: 'stack', include: stackFiles, globalSetup: ['test/global-setup.ts'], setupFiles: ['test/setup-env.ts'], env: layerCache },
      },
    ],
  },
});
