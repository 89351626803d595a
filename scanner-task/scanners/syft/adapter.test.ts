import { describe, expect, it } from 'vitest';
import { parseFixture } from '../adapter-harness.ts';
import { parseSyft } from './adapter.ts';

describe('syft adapter', () => {
  it('reads packages with source package, licenses and layer from syft-json', () => {
    const out = parseFixture(new URL('./testdata/image-debian-npm.json', import.meta.url), parseSyft);
    expect(out.vulnerabilities).toEqual([]);
    expect(out.packages).toEqual([
      {
        name: 'bsdutils',
        version: '1:2.38.1-5+b1',
        type: 'deb',
        purl: 'pkg:deb/debian/bsdutils@1%3A2.38.1-5%2Bb1?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5',
        licenses: ['GPL-2.0-or-later'],
        location: 'var/lib/dpkg/status',
        layerDigest: `sha256:${'1'.repeat(64)}`,
        sourceName: 'util-linux',
        sourceVersion: '2.38.1-5',
      },
      {
        name: 'lodash',
        version: '4.17.15',
        type: 'npm',
        purl: 'pkg:npm/lodash@4.17.15',
        licenses: ['MIT'],
        location: 'app/node_modules/lodash/package.json',
        layerDigest: `sha256:${'2'.repeat(64)}`,
      },
    ]);
  });
});
