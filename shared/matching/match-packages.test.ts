// matchPackages details the scenarios do not pin down: an OS package's block result is
// reused only by binaries at the same place in the source's version order.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Package } from '../packages/package.ts';
import { buildSnapshot } from '../../scanner-task/match/build-snapshot.ts';
import { matchPackages } from './match-packages.ts';
import { loadSnapshot } from './snapshot-reader.ts';

const work = await mkdtemp(join(tmpdir(), 'hg-match-packages-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const advisory = (id: string, introduced: string, fixed: string) => ({
  id,
  modified: '2024-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'Debian:12', name: 'foo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced }, { fixed }] }] }],
});

const binary = (name: string, sourceVersion: string): Package => ({
  name,
  version: `${sourceVersion}+b1`,
  type: 'deb',
  purl: `pkg:deb/debian/${name}@${sourceVersion}+b1`,
  licenses: [],
  location: '/',
  layerIndex: 0,
  sourceName: 'foo',
  sourceVersion,
});

describe('matchPackages', () => {
  it('gives each binary of a source the findings of its own source version', async () => {
    await writeFile(join(work, 'a.json'), JSON.stringify(advisory('DEBIAN-CVE-2024-0001', '0', '1.5-1')));
    await writeFile(join(work, 'b.json'), JSON.stringify(advisory('DEBIAN-CVE-2024-0002', '1.8-1', '2.1-1')));
    const output = join(work, 'foo.db');
    await buildSnapshot({ from: [join(work, 'a.json'), join(work, 'b.json')], output });
    const snapshot = await loadSnapshot(output);
    const packages = [
      binary('libfoo1', '1.0-1'),
      binary('foo-bin', '1.0-1'),
      binary('libfoo-dev', '2.0-1'),
      binary('foo-doc', '1.0-1'),
      binary('foo-old', '1.2-1'),
    ];
    const { vulnerabilities, warnings } = matchPackages(snapshot, packages, { id: 'debian', versionId: '12' });
    snapshot.close();
    expect(warnings).toEqual([]);
    expect(vulnerabilities.map((v) => [v.package, v.id, v.fixedVersion])).toEqual([
      ['foo-bin', 'DEBIAN-CVE-2024-0001', '1.5-1'],
      ['foo-doc', 'DEBIAN-CVE-2024-0001', '1.5-1'],
      ['foo-old', 'DEBIAN-CVE-2024-0001', '1.5-1'],
      ['libfoo-dev', 'DEBIAN-CVE-2024-0002', '2.1-1'],
      ['libfoo1', 'DEBIAN-CVE-2024-0001', '1.5-1'],
    ]);
  });
});
