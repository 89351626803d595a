// No Alpine mirror is reachable and Debian has no apk-tools: testdata/installed is hand-written in
// apk's documented format (lib/apk/db/installed), including the fields the cataloger must ignore.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { scanImage } from '../../engine/scan-image.ts';
import { openImage } from '../../image/open-image.ts';
import { writeOciLayout } from '../../testing/build-image.ts';
import { runCataloger } from '../../testing/cataloger-harness.ts';
import { apkCataloger } from './cataloger.ts';

// An installed record as apk writes it (checksums made up): F: a directory, the R: lines after it its files, Z: a file's checksum.
const PY3_REQUESTS = [
  'P:py3-requests',
  'V:2.31.0-r1',
  'A:noarch',
  'L:Apache-2.0',
  'o:py3-requests',
  'F:usr/lib/python3.11/site-packages/requests',
  'R:__init__.py',
  'Z:Q1AAAA=',
  'F:usr/lib/python3.11/site-packages/requests-2.31.0.dist-info',
  'R:METADATA',
  'Z:Q1BBBB=',
  'R:RECORD',
].join('\n');
const REQUESTS_METADATA = 'usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA';

describe('apk cataloger', () => {
  it('reads name, version, arch, licence and origin from lib/apk/db/installed', async () => {
    const installed = readFileSync(join(import.meta.dirname, 'testdata', 'installed'));
    const { read, packages } = await runCataloger(apkCataloger, {
      'lib/apk/db/installed': installed,
      'etc/apk/world': 'musl\n',
      'lib/apk/db/installed.bak': installed,
    });
    expect(read).toEqual(['lib/apk/db/installed']);
    const completed = packages.map((p) => apkCataloger.complete!(p, { id: 'alpine', versionId: '3.19.1' }));
    expect(completed).toEqual([
      expect.objectContaining({
        name: 'musl',
        version: '1.2.4_git20230717-r4',
        arch: 'x86_64',
        licenses: ['MIT'],
        sourceName: 'musl',
        purl: 'pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1',
      }),
      expect.objectContaining({ name: 'libcrypto3', version: '3.1.4-r5', sourceName: 'openssl', sourceVersion: '3.1.4-r5', licenses: ['Apache-2.0'] }),
    ]);
  });

  it('ties the Python metadata a package installed to it, so it is matched through that package', async () => {
    const { results } = await runCataloger(apkCataloger, { 'lib/apk/db/installed': PY3_REQUESTS });
    expect(results[0]!.result.owned).toEqual([{ owner: { type: 'apk', name: 'py3-requests', arch: 'noarch' }, paths: [REQUESTS_METADATA] }]);
    const source = await writeOciLayout(mkdtempSync(join(tmpdir(), 'hg-apk-')), {
      layers: [
        [
          { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
          { name: 'lib/apk/db/installed', content: PY3_REQUESTS },
          { name: REQUESTS_METADATA, content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n' },
          {
            name: 'usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA',
            content: 'Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n',
          },
        ],
      ],
    });
    const scan = await scanImage(await openImage(source));
    expect(scan.packages.filter((p) => p.type === 'pypi').map((p) => [p.location, p.ownedBy, p.matchedVia?.name])).toEqual([
      [REQUESTS_METADATA, 'pkg:apk/alpine/py3-requests@2.31.0-r1?arch=noarch&distro=alpine-3.19.1', 'py3-requests'],
      ['usr/local/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA', undefined, undefined],
    ]);
  });
});
