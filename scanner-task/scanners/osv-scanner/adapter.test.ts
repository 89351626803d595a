import { describe, expect, it } from 'vitest';
import { parseFixture } from '../adapter-harness.ts';
import { parseOsvScanner } from './adapter.ts';

describe('osv-scanner adapter', () => {
  it('turns each alias group into one vulnerability, scored from its OSV records', () => {
    const out = parseFixture(new URL('./testdata/image-debian-npm.json', import.meta.url), parseOsvScanner);
    expect(out.vulnerabilities.map((v) => [v.id, v.aliases, v.package, v.packageType, v.severity, v.cvss, v.sources])).toEqual([
      ['CVE-2021-23337', ['GHSA-35jh-r3h4-6jhm'], 'lodash', 'npm', 'HIGH', 7.2, ['GHSA-35jh-r3h4-6jhm']],
      // No CVSS anywhere: the record's own (absent) rating → INFO; upstream CVEs are not aliases.
      ['DEBIAN-CVE-2024-28085', undefined, 'util-linux', 'deb', 'INFO', undefined, ['DEBIAN-CVE-2024-28085']],
    ]);
    expect(out.packages.map((p) => `${p.type}:${p.name}@${p.version}`)).toEqual(['npm:lodash@4.17.15', 'deb:util-linux@2.38.1-5']);
  });
});
