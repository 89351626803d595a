// The line `npm start` prints about the snapshot its local tasks will read.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { writeOneAdvisorySnapshot } from '../testing/one-advisory-snapshot.ts';
import { localSnapshotStatus } from './local-snapshot-status.ts';

const work = mkdtempSync(join(tmpdir(), 'hg-local-snapshot-'));

it('names the file it found, when it was built and how many advisories it holds', async () => {
  const file = join(work, 'advisories.db');
  await writeOneAdvisorySnapshot(file, '2026-11-30T08:00:00.000Z');
  expect(await localSnapshotStatus({ HARBORGUARD_DB: file })).toBe(`advisory snapshot: ${file} (built 2026-11-30T08:00:00.000Z, advisories: 1)`);
});

it('says none was found at the default path and how to get one', async () => {
  const status = await localSnapshotStatus({ XDG_CACHE_HOME: work });
  expect(status).toMatch(new RegExp(`^advisory snapshot: none at ${join(work, 'harborguard/advisories.db')};`));
  expect(status).toContain('harborguard db update');
});

it('says so when the file is not a snapshot', async () => {
  const file = join(work, 'not-a-snapshot.db');
  writeFileSync(file, 'not a snapshot');
  expect(await localSnapshotStatus({ HARBORGUARD_DB: file })).toBe(
    `advisory snapshot: ${file} is not a readable HarborGuard snapshot; scans fail until it is rebuilt (\`harborguard db build\`)`,
  );
});
