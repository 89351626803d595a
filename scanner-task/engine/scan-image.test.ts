import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openImage } from '../image/open-image.ts';
import { writeOciLayout, type TestCompression } from '../testing/build-image.ts';
import { scanImage } from './scan-image.ts';

const status = (packages: Array<[string, string, string?]>): string =>
  packages
    .map(
      ([name, version, source]) =>
        `Package: ${name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n${source ? `Source: ${source}\n` : ''}Description: x\n multi-line\n`,
    )
    .join('\n');

const npm = (name: string, version: string) => ({ name: `app/node_modules/${name}/package.json`, content: JSON.stringify({ name, version, license: 'MIT' }) });

async function scan(compression: TestCompression) {
  const dir = mkdtempSync(join(tmpdir(), 'hg-scan-'));
  const source = await writeOciLayout(dir, {
    compression,
    layers: [
      [
        { name: 'etc/', type: 'directory' },
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
        {
          name: 'var/lib/dpkg/status',
          content: status([
            ['bash', '5.2.15-2+b2'],
            ['bsdutils', '1:2.38.1-5', 'util-linux (2.38.1-5)'],
          ]),
        },
        npm('left-pad', '1.3.0'),
        npm('lodash', '4.17.15'),
        { name: 'opt/old/file', content: 'gone' },
      ],
      [
        {
          name: 'var/lib/dpkg/status',
          content: status([
            ['bash', '5.2.15-2+b2'],
            ['bsdutils', '1:2.38.1-5', 'util-linux (2.38.1-5)'],
            ['python3-yaml', '6.0-3'],
          ]),
        },
        {
          name: 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA',
          content: 'Metadata-Version: 2.1\nName: PyYAML\nVersion: 6.0\nLicense: MIT\n\nbody',
        },
        {
          name: 'var/lib/dpkg/info/python3-yaml:amd64.list',
          content: '/.\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info\n/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA\n',
        },
      ],
      [{ name: 'app/node_modules/.wh.left-pad', content: '' }, { name: 'opt/old/.wh..wh..opq', content: '' }, npm('lodash', '4.17.21')],
    ],
  });
  return scanImage(await openImage(source));
}

describe('scanImage on an in-process image', () => {
  for (const compression of ['gzip', 'none', 'zstd'] as const) {
    it(`reports the final filesystem's packages with their layers (${compression})`, async () => {
      const result = await scan(compression);
      expect(result.os).toMatchObject({ id: 'debian', versionId: '12' });
      const summary = result.packages.map((p) => `${p.type}:${p.name}@${p.version}#${p.layerIndex}${p.ownedBy ? `<${p.ownedBy}` : ''}`).sort();
      expect(summary).toEqual([
        'deb:bash@5.2.15-2+b2#0',
        'deb:bsdutils@1:2.38.1-5#0',
        'deb:python3-yaml@6.0-3#1',
        'npm:lodash@4.17.21#2',
        'pypi:PyYAML@6.0#1<pkg:deb/debian/python3-yaml@6.0-3?arch=amd64&distro=debian-12',
      ]);
      const bash = result.packages.find((p) => p.name === 'bash')!;
      expect(bash).toMatchObject({ sourceName: 'bash', sourceVersion: '5.2.15-2', purl: 'pkg:deb/debian/bash@5.2.15-2%2Bb2?arch=amd64&distro=debian-12' });
      expect(bash.layerDigest).toBe(result.layers[0]!.digest);
      expect(result.packages.find((p) => p.name === 'bsdutils')).toMatchObject({ sourceName: 'util-linux', sourceVersion: '2.38.1-5' });
      expect(result.filesystem.files.has('opt/old/file')).toBe(false);
      expect(result.filesystem.changes[2]).toEqual({ filesAdded: 0, filesModified: 1, filesRemoved: 2 });
    });
  }
});

describe('scanImage: which layer introduced a package', () => {
  const layersOf = async (layers: Array<Array<{ name: string; content: string }>>) =>
    (await scanImage(await openImage(await writeOciLayout(mkdtempSync(join(tmpdir(), 'hg-scan-')), { layers })))).packages
      .map((p) => `${p.name}#${p.layerIndex}`)
      .sort();
  const dpkg = (names: string[]) => ({ name: 'var/lib/dpkg/status', content: status(names.map((n) => [n, '1.0'])) });

  it('is the lowest layer since which the package stood unchanged, a removal in between starting it anew', async () => {
    expect(await layersOf([[dpkg(['a'])], [dpkg(['a', 'b'])], [{ name: 'other', content: '' }], [dpkg(['a', 'b', 'c'])]])).toEqual(['a#0', 'b#1', 'c#3']);
    expect(await layersOf([[dpkg(['a'])], [{ name: 'var/lib/dpkg/.wh.status', content: '' }], [dpkg(['a'])]])).toEqual(['a#2']);
    expect(await layersOf([[dpkg(['a'])], [{ name: 'var/lib/.wh.dpkg', content: '' }], [{ name: 'x', content: '' }], [dpkg(['a'])]])).toEqual(['a#3']);
    expect(await layersOf([[dpkg(['a'])], [{ name: 'var/lib/dpkg/status', content: 'not a status file' }], [dpkg(['a'])]])).toEqual(['a#2']);
  });

  it('walks only the layers that touched the file: 5,000 packages on top of 600 other layers', async () => {
    const layers = [...Array.from({ length: 600 }, (_, i) => [{ name: `l/${i}`, content: '' }]), [dpkg(Array.from({ length: 5_000 }, (_, i) => `p${i}`))]];
    const packages = await layersOf(layers);
    expect(packages).toHaveLength(5_000);
    expect(packages.every((p) => p.endsWith('#600'))).toBe(true);
  });
});
