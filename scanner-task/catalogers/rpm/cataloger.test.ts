// rpm databases from the real rpm tools, scanned as image layers, against `rpm -qa` on the same root.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanImage } from '../../engine/scan-image.ts';
import { openImage } from '../../image/open-image.ts';
import { entriesFromDir, writeOciLayout } from '../../testing/build-image.ts';
import { ensureRpmFixture, RPM_PYTHON_METADATA, RPM_TOOLS } from '../../testing/rpm-fixture.ts';
import { missingTools } from '../../testing/tools.ts';
import { bdbHashValues } from './parse-bdb.ts';
import { parseRpmHeader } from './parse-header.ts';

const skip = missingTools(...RPM_TOOLS);

// rpm prints 0: for packages without an epoch; the engine leaves it out, as rpm's own NEVRA does.
const truth = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const [name, evr, arch, srpm, license] = line.split('\t');
      return `${name} ${evr!.replace(/^0:/, '')} ${arch} ${srpm!.replace(/\.src\.rpm$/, '')} ${license}`;
    })
    .sort();

async function scanRoot(root: string) {
  const dir = mkdtempSync(join(tmpdir(), 'hg-rpm-'));
  return scanImage(await openImage(await writeOciLayout(dir, { layers: [entriesFromDir(root)] })));
}

const found = (packages: Awaited<ReturnType<typeof scanRoot>>['packages']): string[] =>
  packages
    .filter((p) => p.type === 'rpm')
    .map((p) => `${p.name} ${p.version} ${p.arch} ${p.sourceName}-${p.sourceVersion!.replace(/^\d+:/, '')} ${p.licenses.join()}`)
    .sort();

describe.skipIf(skip)(`rpm cataloger${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('reads rpmdb.sqlite exactly as rpm -qa does', async () => {
    const fixture = ensureRpmFixture();
    const scan = await scanRoot(fixture.sqliteRoot);
    expect(found(scan.packages)).toEqual(truth(fixture.sqliteTruth));
    expect(scan.packages.find((p) => p.name === 'openssl-libs')).toMatchObject({
      sourceName: 'openssl',
      sourceVersion: '1:3.0.7-27.el9',
      purl: 'pkg:rpm/rocky/openssl-libs@3.0.7-27.el9?arch=noarch&distro=rocky-9.3&epoch=1',
    });
  });

  it('ties the Python metadata a package installed to it, as rpm -qf does, and matches it through that package', async () => {
    const fixture = ensureRpmFixture();
    const scan = await scanRoot(fixture.sqliteRoot);
    const owner = readFileSync(fixture.pythonOwner, 'utf8').trim();
    expect(owner).toBe('python3-requests');
    expect(scan.packages.filter((p) => p.type === 'pypi')).toMatchObject([
      {
        name: 'requests',
        location: RPM_PYTHON_METADATA,
        ownedBy: scan.packages.find((p) => p.type === 'rpm' && p.name === owner)!.purl,
        matchedVia: { type: 'rpm', name: owner },
      },
    ]);
  });

  it('reads a BerkeleyDB Packages hash (with overflow pages) exactly as rpm -qa does', async () => {
    const fixture = ensureRpmFixture();
    const scan = await scanRoot(fixture.bdbRoot);
    expect(found(scan.packages)).toEqual(truth(fixture.bdbTruth));
    expect(scan.os).toMatchObject({ id: 'centos', versionId: '7' });
  });

  it('rejects garbage and broken overflow chains without hanging', () => {
    expect(() => bdbHashValues(Buffer.alloc(4096))).toThrow(/not a BerkeleyDB/);
    const fixture = ensureRpmFixture();
    const db = readFileSync(join(fixture.bdbRoot, 'var/lib/rpm/Packages'));
    const pageSize = db.readUInt32LE(20);
    // Point every overflow page's "next" at itself: a loop the walker must notice.
    for (let page = 1; page * pageSize < db.length; page++) if (db[page * pageSize + 25] === 7) db.writeUInt32LE(page, page * pageSize + 16);
    expect(() => bdbHashValues(db)).toThrow(/broken overflow chain/);
    expect(parseRpmHeader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]))).toBeUndefined();
  });
});
