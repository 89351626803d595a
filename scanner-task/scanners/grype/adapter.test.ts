import { describe, expect, it } from 'vitest';
import { parseFixture } from '../adapter-harness.ts';
import { parseGrype } from './adapter.ts';

describe('grype adapter', () => {
  it('names findings by the CVE behind a GHSA match and keeps the matched id as a source', () => {
    const out = parseFixture(new URL('./testdata/image-debian-npm.json', import.meta.url), parseGrype);
    expect(out.vulnerabilities.map((v) => [v.id, v.aliases, v.package, v.version, v.fixedVersion, v.severity, v.cvss, v.sources])).toEqual([
      ['CVE-2021-23337', ['GHSA-35jh-r3h4-6jhm'], 'lodash', '4.17.15', '4.17.21', 'HIGH', 7.2, ['GHSA-35jh-r3h4-6jhm']],
      ['CVE-2024-28085', undefined, 'bsdutils', '1:2.38.1-5+b1', '2.38.1-5+deb12u1', 'INFO', 5.5, ['CVE-2024-28085']],
    ]);
    expect(out.packages.find((p) => p.name === 'bsdutils')).toMatchObject({
      sourceName: 'util-linux',
      sourceVersion: '2.38.1-5',
      location: 'var/lib/dpkg/status',
    });
  });
});
