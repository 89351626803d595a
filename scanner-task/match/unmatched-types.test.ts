// A package whose type the ecosystem table has no advisories for must not read as "clean": the
// scan says how many were not matched and why (add-findings.ts puts these warnings in the envelope).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { Package, PackageType } from '#shared/packages/package.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { matchPackages } from '#shared/matching/match-packages.ts';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';

const work = await mkdtemp(join(tmpdir(), 'hg-unmatched-types-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const pkg = (type: string, name: string): Package => ({
  name,
  version: '1.0.0',
  // A type from outside the table, as a cataloger added before its entry had advisories would produce.
  type: type as PackageType,
  purl: `pkg:${type}/${name}@1.0.0`,
  licenses: [],
  location: `app/${name}`,
  layerIndex: 0,
});

it('warns once per type with no advisory lookup, and still matches the others', async () => {
  const record = {
    id: 'GHSA-aaaa-bbbb-cccc',
    modified: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.1.0' }] }] }],
  };
  await writeFile(join(work, 'a.json'), JSON.stringify(record));
  const output = join(work, 'a.db');
  await buildSnapshot({ from: [join(work, 'a.json')], output });
  const snapshot = await loadSnapshot(output);
  const { vulnerabilities, warnings } = matchPackages(snapshot, [pkg('npm', 'left-pad'), pkg('conan', 'zlib'), pkg('conan', 'openssl'), pkg('hex', 'plug')]);
  snapshot.close();
  expect(vulnerabilities.map((v) => v.id)).toEqual(['GHSA-aaaa-bbbb-cccc']);
  expect(warnings).toEqual([
    '2 conan packages not matched: no advisory source is known for conan packages (shared/ecosystems)',
    '1 hex package not matched: no advisory source is known for hex packages (shared/ecosystems)',
  ]);
});
