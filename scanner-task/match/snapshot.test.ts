// The snapshot round trip: import paths (file, folder, all.zip), newest-record-wins,
// withdrawn records, content hash and corrupt files; and `harborguard db` in-process.
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { dbCommand } from '../cli/db-command.ts';
import { buildSnapshot } from './build-snapshot.ts';
import type { Package } from '#shared/packages/package.ts';
import { matchPackages } from '#shared/matching/match-packages.ts';
import type { OsvRecord } from '#shared/matching/osv-record.ts';
import { FORMAT_VERSION, InvalidSnapshotError, MAGIC, UnsupportedSnapshotFormatError } from '#shared/matching/snapshot-format.ts';
import { loadSnapshot, parseSnapshot } from '#shared/matching/snapshot-reader.ts';

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
    await writeFile(
      single,
      JSON.stringify({
        id: 'OSV-4',
        modified: '2024-01-01T00:00:00Z',
        affected: [{ package: { ecosystem: 'OSS-Fuzz', name: 'x' }, ranges: [{ type: 'GIT', events: [{ introduced: '0' }] }] }],
      }),
    );
    const output = join(work, 'a.db');
    const { header, stats } = await buildSnapshot({ from: [folder, zip, single], output, builtAt: '2026-01-01T00:00:00.000Z' });
    expect(stats).toEqual({ records: 6, withdrawn: 1, skippedEntries: 1 });
    expect(header).toMatchObject({ advisories: 2, packages: 1, newestModified: '2024-06-01T00:00:00Z', ecosystems: { npm: 2 } });
    const snapshot = await loadSnapshot(output);
    // Ranked: positions are 2·slot+1 at a version, 2·slot just below it; slots are 1.5.0 and 2.0.0.
    const entries = snapshot.block('npm', 'left-pad')!.entries.map((e) => ({ id: snapshot.advisory(e.a).id, hits: e.hits }));
    expect(entries).toEqual([
      { id: 'GHSA-1', hits: [[0, 2, '2.0.0']] },
      { id: 'GHSA-2', hits: [[0, 0, '1.5.0']] },
    ]);
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

  it('reads records in the order asked, wherever they lie in the file', async () => {
    const folder = join(work, 'shared');
    await mkdir(folder, { recursive: true });
    // GHSA-A's home is a-pkg; b-pkg also lists it, beside its own record with a non-ASCII title.
    const both = record('GHSA-A', '2024-01-01T00:00:00Z', '1.0.0', {
      summary: 'shared',
      affected: ['a-pkg', 'b-pkg'].map((name) => ({
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }],
      })),
    });
    const own = record('GHSA-B', '2024-01-01T00:00:00Z', '2.0.0', {
      summary: 'Überlauf — ünïcode',
      affected: [{ package: { ecosystem: 'npm', name: 'b-pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] }] }],
    });
    const cvss = record('GHSA-C', '2024-01-01T00:00:00Z', '3.0.0', { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] });
    await writeFile(join(folder, 'a.json'), JSON.stringify(both));
    await writeFile(join(folder, 'b.json'), JSON.stringify(own));
    await writeFile(join(folder, 'c.json'), JSON.stringify(cvss));
    const output = join(work, 'shared.db');
    await buildSnapshot({ from: [folder], output });
    const snapshot = await loadSnapshot(output);
    const indexOf = (ecosystem: string, name: string, id: string): number =>
      snapshot.block(ecosystem, name)!.entries.find((e) => snapshot.advisory(e.a).id === id)!.a;
    const [a, b, c] = [indexOf('npm', 'b-pkg', 'GHSA-A'), indexOf('npm', 'b-pkg', 'GHSA-B'), indexOf('npm', 'left-pad', 'GHSA-C')];
    expect(indexOf('npm', 'a-pkg', 'GHSA-A')).toBe(a);
    const read = snapshot.advisories([c, b, a, c]);
    expect(read.map((x) => x.id)).toEqual(['GHSA-C', 'GHSA-B', 'GHSA-A', 'GHSA-C']);
    expect(read[1]).toMatchObject({ title: 'Überlauf — ünïcode', severity: 'INFO' });
    expect(read[0]).toMatchObject({ severity: 'CRITICAL', cvss: 9.8, cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    const pkg = (name: string, version: string): Package => ({
      name,
      version,
      type: 'npm',
      purl: `pkg:npm/${name}@${version}`,
      licenses: [],
      location: '/',
      layerIndex: 0,
    });
    const { vulnerabilities } = matchPackages(snapshot, [pkg('b-pkg', '0.5.0'), pkg('a-pkg', '0.5.0'), pkg('left-pad', '2.5.0')]);
    expect(vulnerabilities.map((v) => [v.package, v.id, v.fixedVersion])).toEqual([
      ['a-pkg', 'GHSA-A', '1.0.0'],
      ['b-pkg', 'GHSA-A', '1.0.0'],
      ['b-pkg', 'GHSA-B', '2.0.0'],
      ['left-pad', 'GHSA-C', '3.0.0'],
    ]);
    snapshot.close();
  });

  it('refuses a snapshot of another format version with the command that fixes it', async () => {
    // Format 1 kept JSON blocks under a "keys" section; its header is still readable.
    const header = Buffer.from(JSON.stringify({ format: 1, builtAt: '2026-01-01T00:00:00.000Z', sections: { keys: { offset: 64, length: 2 } } }));
    const prefix = Buffer.alloc(12);
    MAGIC.copy(prefix, 0);
    prefix.writeUInt32LE(header.length, MAGIC.length);
    const old = join(work, 'format-1.db');
    await writeFile(old, Buffer.concat([prefix, header, Buffer.from('[]')]));
    await expect(loadSnapshot(old)).rejects.toThrow(UnsupportedSnapshotFormatError);
    await expect(loadSnapshot(old)).rejects.toThrow(
      `${old}: advisory snapshot format 1 is not supported (this version reads format ${FORMAT_VERSION}); rebuild with harborguard db build`,
    );
  });

  it('db build and db info run as commands', async () => {
    let stdout = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const output = join(work, 'cli.db');
      await dbCommand()
        .exitOverride()
        .parseAsync(['build', '--from', join(work, 'all.zip'), '-o', output], { from: 'user' });
      await dbCommand().exitOverride().parseAsync(['info', '--json', '--verify', output], { from: 'user' });
    } finally {
      vi.restoreAllMocks();
    }
    expect(JSON.parse(stdout)).toMatchObject({ advisories: 2, packages: 1, verified: true, ecosystems: { npm: 2 } });
    expect(process.exitCode ?? 0).toBe(0);
  });
});
