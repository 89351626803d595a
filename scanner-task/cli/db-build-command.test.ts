// `harborguard db build` on a folder with files that are not OSV records: the summary lists them
// and the build succeeds; --strict fails in one line with a non-zero exit, as a user sees it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';
import { mixedOsvFolder } from '../testing/osv-fixtures.ts';
import { harborguard } from '../testing/run-cli.ts';
import { dbCommand } from './db-command.ts';

const work = await mkdtemp(join(tmpdir(), 'hg-db-build-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const folder = await mixedOsvFolder(join(work, 'osv'));

describe('db build', () => {
  it('builds from the records and lists the files it skipped', async () => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
    const output = join(work, 'lenient.db');
    try {
      await dbCommand().exitOverride().parseAsync(['build', '--from', folder, '-o', output], { from: 'user' });
    } finally {
      vi.restoreAllMocks();
    }
    const snapshot = await loadSnapshot(output);
    expect(snapshot.header).toMatchObject({ advisories: 2, ecosystems: { npm: 1, PyPI: 1 } });
    snapshot.close();
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^${output}: 2 advisories over 2 packages from 2 records`));
    expect(lines.slice(1)).toEqual([
      'skipped 2 files that are not OSV records (--strict to fail instead):',
      expect.stringMatching(new RegExp(`^  ${join(folder, 'broken.json')}: invalid JSON: `)),
      `  ${join(folder, 'package.json')}: no id`,
    ]);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('with --strict fails on the first of them in one line', async () => {
    const output = join(work, 'strict.db');
    const { status, stderr } = await harborguard(['db', 'build', '--strict', '--from', folder, '-o', output]);
    expect(status).toBe(1);
    expect(stderr).toMatch(new RegExp(`^harborguard: ${join(folder, 'broken.json')}: not an OSV record \\(invalid JSON: [^\\n]*\\)\\n$`));
  });
});
