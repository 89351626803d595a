// The snapshot round trip: import paths (file, folder, all.zip), newest-record-wins,
// withdrawn records, content hash and corrupt files; and `harborguard db` in-process.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dbCommand } from '../cli/db-command.ts';
import { buildSnapshot } from './build-snapshot.ts';
import type { OsvRecord } from './osv-record.ts';
import { InvalidSnapshotError } from './snapshot-format.ts';
import { loadSnapshot, parseSnapshot } from './snapshot-reader.ts';

const work = await mkdtemp(join(tmpdir(), 'hg-snapshot-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const record = (id: string, modified: string, fixed: string, extra: Partial<OsvRecord> = {}): OsvRecord => ({
  id,
  modified,
  affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed }] }] }],
  ...extra,
});

describe('snapshot', () => {
  it('imports files, folders and all.zip dumps; the newest copy of an id wins, withdrawn hides older copies', async () => {
    const folder = join(work, 'folder');
    await mkdir(join(folder, 'nested'), { recursive: true });
    await writeFile(join(folder, 'nested', 'GHSA-1.json'), JSON.stringify(record('GHSA-1', '2024-01-01T00:00:00Z', '1.0.0')));
    await writeFile(join(folder, 'GHSA-3.json'), JSON.stringify(record('GHSA-3', '2024-01-01T00:00:00Z', '1.0.0')));
    const zip = join(work, 'all.zip');
    await writeFile(
      zip,
      zipSync({
        'GHSA-1.json': strToU8(JSON.stringify(record('GHSA-1', '2024-06-01T00:00:00Z', '2.0.0'))),
        'GHSA-2.json': strToU8(JSON.stringify(record('GHSA-2', '2024-03-01T00:00:00Z', '1.5.0'))),
        'GHSA-3.json': strToU8(JSON.stringify(record('GHSA-3', '2024-02-01T00:00:00Z', '1.0.0', { withdrawn: '2024-02-01T00:00:00Z' }))),
        'README.txt': strToU8('not a record'),
      }),
    );
    const single = join(work, 'GHSA-4.json');
    // GIT-only ranges and unknown ecosystems are skipped: they can never match a package.
    await writeFile(single, JSON.stringify({ id: 'OSV-4', modified: '2024-01-01T00:00:00Z', affected: [{ package: { ecosystem: 'OSS-Fuzz', name: 'x' }, ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }] }));
    const output = join(work, 'a.db');
    const { header, stats } = await buildSnapshot({ from: [folder, zip, single], output, builtAt: '2026-01-01T00:00:00.000Z' });
    expect(stats).toEqual({ records: 6, withdrawn: 1, skippedEntries: 1 });
    expect(header).toMatchObject({ advisories: 2, packages: 1, newestModified: '2024-06-01T00:00:00Z', ecosystems: { npm: 2 } });
    const snapshot = await loadSnapshot(output);
    // Ranked: positions are 2·slot+1 at a version, 2·slot just below it; slots are 1.5.0 and 2.0.0.
    const entries = snapshot.block('npm', 'left-pad')!.entries.map((e) => ({ id: snapshot.advisory(e.a).id, hits: e.hits }));
    expect(entries).toEqual([{ id: 'GHSA-1', hits: [[0, 2, '2.0.0']] }, { id: 'GHSA-2', hits: [[0, 0, '1.5.0']] }]);
    expect(snapshot.block('npm', 'left-pad')).toMatchObject({ kind: 'SEMVER', order: ['1.5.0', '2.0.0'] });
    expect(snapshot.block('npm', 'right-pad')).toBeUndefined();
    expect(snapshot.verify()).toBe(true);
    // The same data gives the same content hash whenever it is built.
    const again = await buildSnapshot({ from: [folder, zip, single], output: join(work, 'b.db') });
    expect(again.header.contentHash).toBe(header.contentHash);
  });

  it('detects corrupt and foreign files', async () => {
    const bytes = await readFile(join(work, 'a.db'));
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 3]! ^= 0xff;
    expect(parseSnapshot(flipped).verify()).toBe(false);
    expect(() => parseSnapshot(Buffer.from('{"hello":1}'))).toThrow(InvalidSnapshotError);
    expect(() => parseSnapshot(bytes.subarray(0, bytes.length - 64))).toThrow(/truncated/);
  });

  it('db build and db info run as commands', async () => {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const output = join(work, 'cli.db');
      await dbCommand().exitOverride().parseAsync(['build', '--from', join(work, 'all.zip'), '-o', output], { from: 'user' });
      await dbCommand().exitOverride().parseAsync(['info', '--json', '--verify', output], { from: 'user' });
    } finally {
      vi.restoreAllMocks();
    }
    expect(JSON.parse(stdout)).toMatchObject({ advisories: 2, packages: 1, verified: true, ecosystems: { npm: 2 } });
    expect(process.exitCode ?? 0).toBe(0);
  });
});
