// An unrated advisory takes its severity from an alias in the same snapshot, through the real
// build → load → match path; a record that rated itself keeps its own verdict.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Package } from '#shared/packages/package.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { matchPackages } from '#shared/matching/match-packages.ts';
import type { OsvRecord } from '#shared/matching/osv-record.ts';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';

const work = await mkdtemp(join(tmpdir(), 'hg-alias-severity-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const HIGH_VECTOR = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N'; // 7.5
const pypi = (name: string, fixed: string) => [
  { package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM' as const, events: [{ introduced: '0' }, { fixed }] }] },
];

it('rates a PYSEC record by its GHSA alias, and leaves a self-rated record as it rated itself', async () => {
  const records: OsvRecord[] = [
    // PyPA's record: no severity of its own, aliases the GHSA one.
    { id: 'PYSEC-2023-74', modified: '2024-01-01T00:00:00Z', aliases: ['GHSA-j8r2-6x86-q33q', 'CVE-2023-32681'], affected: pypi('requests', '2.31.0') },
    // GitHub's record of the same vulnerability, for a package the image does not have.
    {
      id: 'GHSA-j8r2-6x86-q33q',
      modified: '2024-01-01T00:00:00Z',
      aliases: ['CVE-2023-32681'],
      severity: [{ type: 'CVSS_V3', score: HIGH_VECTOR }],
      affected: pypi('requests-unrelated', '9.9.9'),
    },
    // Rated by its ecosystem as low: an alias's HIGH must not override that verdict.
    {
      id: 'PYSEC-2023-99',
      modified: '2024-01-01T00:00:00Z',
      aliases: ['CVE-2023-32681'],
      database_specific: { severity: 'LOW' },
      affected: pypi('urllib3', '2.0.0'),
    },
    // Unrated, and no alias in the snapshot: stays INFO.
    { id: 'PYSEC-2023-100', modified: '2024-01-01T00:00:00Z', aliases: ['CVE-2099-0001'], affected: pypi('idna', '9.0') },
  ];
  const files = await Promise.all(
    records.map(async (record) => {
      const file = join(work, `${record.id}.json`);
      await writeFile(file, JSON.stringify(record));
      return file;
    }),
  );
  const output = join(work, 'advisories.db');
  await buildSnapshot({ from: files, output });
  const pkg = (name: string, version: string): Package => ({
    name,
    version,
    type: 'pypi',
    purl: `pkg:pypi/${name}@${version}`,
    licenses: [],
    location: '/',
    layerIndex: 0,
  });
  const { vulnerabilities } = matchPackages(await loadSnapshot(output), [pkg('requests', '2.28.0'), pkg('urllib3', '1.26.0'), pkg('idna', '3.4')]);
  const byPackage = Object.fromEntries(vulnerabilities.map((f) => [f.package, { severity: f.severity, cvss: f.cvss }]));
  expect(byPackage).toEqual({
    requests: { severity: 'HIGH', cvss: 7.5 },
    urllib3: { severity: 'LOW', cvss: undefined },
    idna: { severity: 'INFO', cvss: undefined },
  });
});
