// db build over real-world folders: JSON and PyPA-style YAML records side by side, files that
// are not records skipped and listed (or fatal with strict), and YAML that must not be trusted.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import type { Package } from '#shared/packages/package.ts';
import { GHSA_JSON, mixedOsvFolder, PYSEC_YAML } from '../testing/osv-fixtures.ts';
import { buildSnapshot } from './build-snapshot.ts';
import { matchPackages } from '#shared/matching/match-packages.ts';
import { MAX_RECORD_FILE_BYTES } from './osv-import.ts';
import { InvalidOsvRecordError } from '#shared/matching/osv-record.ts';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';

const work = await mkdtemp(join(tmpdir(), 'hg-build-snapshot-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const pkg = (type: Package['type'], name: string, version: string): Package => ({
  name,
  version,
  type,
  purl: `pkg:${type}/${name}@${version}`,
  licenses: [],
  location: '/',
  layerIndex: 0,
});

describe('buildSnapshot', () => {
  it('imports JSON and YAML records and lists the files that are not records', async () => {
    const folder = await mixedOsvFolder(join(work, 'mixed'));
    const output = join(work, 'mixed.db');
    const { header, skipped } = await buildSnapshot({ from: [folder], output });
    expect(header).toMatchObject({ advisories: 2, ecosystems: { npm: 1, PyPI: 1 } });
    expect(skipped).toEqual([
      { where: join(folder, 'broken.json'), reason: expect.stringMatching(/^invalid JSON: /) },
      { where: join(folder, 'package.json'), reason: 'no id' },
    ]);
    const snapshot = await loadSnapshot(output);
    const { vulnerabilities } = matchPackages(snapshot, [pkg('pypi', 'urllib3', '1.26.4'), pkg('pypi', 'urllib3', '1.26.5'), pkg('npm', 'left-pad', '0.9.0')]);
    snapshot.close();
    // A finding is named by its CVE when the record has one; the PYSEC id stays an alias.
    expect(vulnerabilities.map((v) => [v.package, v.version, v.id, v.fixedVersion])).toEqual([
      ['left-pad', '0.9.0', 'GHSA-1', '1.0.0'],
      ['urllib3', '1.26.4', 'CVE-2021-33503', '1.26.5'],
    ]);
    expect(vulnerabilities[1]!.aliases).toContain('PYSEC-2021-108');
  });

  it('with strict, fails on the first file that is not a record', async () => {
    const folder = await mixedOsvFolder(join(work, 'strict'));
    const build = buildSnapshot({ from: [folder], output: join(work, 'strict.db'), strict: true });
    await expect(build).rejects.toThrow(InvalidOsvRecordError);
    await expect(build).rejects.toThrow(`${join(folder, 'broken.json')}: not an OSV record (invalid JSON: `);
  });

  it('skips a record file larger than the bound without reading it', async () => {
    const huge = join(work, 'huge.json');
    await writeFile(huge, Buffer.alloc(MAX_RECORD_FILE_BYTES + 1, 0x20));
    const { skipped } = await buildSnapshot({ from: [huge], output: join(work, 'huge.db') });
    expect(skipped).toEqual([{ where: huge, reason: `${MAX_RECORD_FILE_BYTES + 1} bytes, more than the 32 MiB a record file may have` }]);
  });

  it('reads YAML entries of a zip dump and refuses YAML tags, aliases bombs and element-wise bad arrays', async () => {
    // Each level repeats the one before ten times: 10^7 nodes from a few hundred bytes.
    const level = (n: number): string =>
      `l${n}: &l${n} [${Array(10)
        .fill(`*l${n - 1}`)
        .join(', ')}]`;
    const aliasBomb = ['l0: &l0 x', ...Array.from({ length: 7 }, (_, i) => level(i + 1))].join('\n');
    const zip = join(work, 'all.zip');
    await writeFile(
      zip,
      zipSync({
        'PYSEC-2021-108.yml': strToU8(PYSEC_YAML),
        'tagged.yaml': strToU8(`!!python/object/apply:os.system ["true"]\n`),
        'bomb.yaml': strToU8(aliasBomb),
        'list.json': strToU8(`[${GHSA_JSON}, {"id": "X"}]`),
      }),
    );
    const { header, skipped } = await buildSnapshot({ from: [zip], output: join(work, 'zip.db') });
    expect(header).toMatchObject({ advisories: 2, ecosystems: { npm: 1, PyPI: 1 } });
    expect(skipped.map((s) => s.where)).toEqual([`${zip}!tagged.yaml`, `${zip}!bomb.yaml`, `${zip}!list.json[1]`]);
    expect(skipped.map((s) => s.reason)).toEqual([
      expect.stringMatching(/^invalid YAML: .*tag/i),
      expect.stringMatching(/^invalid YAML: .*alias/i),
      'no modified',
    ]);
  });
});
