import { describe, expect, it } from 'vitest';
import { parseFixture } from '../adapter-harness.ts';
import { parseTrivy } from './adapter.ts';

describe('trivy adapter', () => {
  it('reads vulnerabilities and packages from `trivy image --format json --list-all-pkgs`', () => {
    const out = parseFixture(new URL('./testdata/image-debian-npm.json', import.meta.url), parseTrivy);
    expect(out.vulnerabilities.map((v) => [v.id, v.cveId, v.package, v.version, v.packageType, v.fixedVersion, v.severity, v.cvss])).toEqual([
      ['CVE-2024-28085', 'CVE-2024-28085', 'bsdutils', '1:2.38.1-5+b1', 'deb', '2.38.1-5+deb12u1', 'LOW', 5.5],
      ['CVE-2021-23337', 'CVE-2021-23337', 'lodash', '4.17.15', 'npm', '4.17.21', 'HIGH', 7.2],
      // "4.17.19, 4.17.20": the first (smallest) fix.
      ['CVE-2020-8203', 'CVE-2020-8203', 'lodash', '4.17.15', 'npm', '4.17.19', 'HIGH', 7.4],
    ]);
    expect(out.vulnerabilities[1]).toMatchObject({ aliases: ['GHSA-35jh-r3h4-6jhm'], scanner: 'trivy', layerDigest: `sha256:${'b'.repeat(64)}` });
    // OS packages arrive as Epoch + Version + Release and leave as one distribution version.
    expect(out.packages.map((p) => [p.name, p.version, p.type, p.sourceName, p.sourceVersion, p.layerDigest?.slice(0, 8)])).toEqual([
      ['bsdutils', '1:2.38.1-5+b1', 'deb', 'util-linux', '2.38.1-5', 'sha256:a'],
      ['lodash', '4.17.15', 'npm', undefined, undefined, 'sha256:b'],
    ]);
  });

  it('leaves OS packages untyped when trivy could not tell the distribution', () => {
    const out = parseTrivy({
      Metadata: { OS: { Family: 'none' } },
      Results: [{ Target: 'x (none )', Class: 'os-pkgs', Type: 'none', Packages: [{ Name: 'zlib1g', Epoch: 1, Version: '1.2.13.dfsg', Release: '1' }] }],
    });
    expect(out.packages).toEqual([{ name: 'zlib1g', version: '1:1.2.13.dfsg-1', type: 'unknown' }]);
  });

  it('reads an empty or foreign document as nothing found', () => {
    expect(parseTrivy({})).toEqual({ vulnerabilities: [], packages: [], checks: [] });
    expect(parseTrivy(null)).toEqual({ vulnerabilities: [], packages: [], checks: [] });
  });
});
