// Real snapshot files in the order an advisory feed changes, for tests of re-matching: v1 holds
// an advisory for a package the test image lacks; v2 adds lodash's GHSA-35jh-r3h4-6jhm
// (CVE-2021-23337, affecting lodash 4.17.15); v3 withdraws it again (its content is v1's); v4
// adds another unrelated advisory (a new snapshot that changes nothing for the image); v5 is v2
// with CVE-2021-23337 in CISA's KEV catalogue (the same finding, now known exploited).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { asOsvRecord, type OsvRecord } from '#shared/matching/osv-record.ts';
import { SnapshotWriter } from '../match/snapshot-writer.ts';

const LODASH_PATH = join(import.meta.dirname, '../match/testdata/scenarios/npm/osv/GHSA-35jh-r3h4-6jhm.json');

export type SnapshotVersion = 'v1' | 'v2' | 'v3' | 'v4' | 'v5';

export async function writeAdvisorySnapshots(dir: string): Promise<Record<SnapshotVersion, string>> {
  const lodash = asOsvRecord(JSON.parse(readFileSync(LODASH_PATH, 'utf8')), LODASH_PATH);
  const elsewhere = (id: string, cve: string): OsvRecord => ({
    ...lodash,
    id,
    aliases: [cve],
    affected: lodash.affected!.map((a) => ({ ...a, package: { ...a.package!, name: 'left-pad' } })),
  });
  const unrelated = elsewhere('GHSA-unrelated-0001', 'CVE-2099-0001');
  const versions: Record<SnapshotVersion, { records: OsvRecord[]; builtAt: string; kev?: string[] }> = {
    v1: { records: [unrelated], builtAt: '2026-12-01T00:00:00.000Z' },
    v2: { records: [unrelated, lodash], builtAt: '2026-12-02T00:00:00.000Z' },
    v3: { records: [unrelated, { ...lodash, modified: '2026-12-02T12:00:00Z', withdrawn: '2026-12-02T12:00:00Z' }], builtAt: '2026-12-03T00:00:00.000Z' },
    v4: { records: [unrelated, elsewhere('GHSA-unrelated-0002', 'CVE-2099-0002')], builtAt: '2026-12-04T00:00:00.000Z' },
    v5: { records: [unrelated, lodash], builtAt: '2026-12-05T00:00:00.000Z', kev: ['CVE-2021-23337'] },
  };
  const paths = {} as Record<SnapshotVersion, string>;
  for (const [version, { records, builtAt, kev }] of Object.entries(versions) as Array<[SnapshotVersion, (typeof versions)['v1']]>) {
    const writer = new SnapshotWriter(kev ? { kev: new Set(kev), epss: new Map() } : undefined);
    for (const record of records) writer.add(record);
    paths[version] = join(dir, `${version}.db`);
    await writer.write(paths[version], builtAt);
  }
  return paths;
}
