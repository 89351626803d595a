// Every type a cataloger can produce must be matched and written: a version scheme for its OSV
// ecosystems, a lookup that names some ecosystem, and an SBOM entry that keeps its type and purl.
// A cataloger whose type lacked any of these would list packages and report them "clean".
import { describe, expect, it } from 'vitest';
import { ecosystemOf } from '#shared/ecosystems/ecosystem-of.ts';
import type { PackageType } from '#shared/ecosystems/ecosystems.ts';
import { toCycloneDx } from '#shared/sbom/cyclonedx.ts';
import { toSpdx } from '#shared/sbom/spdx.ts';
import { lookupFor } from '#shared/matching/ecosystem-for-package.ts';
import { schemeForEcosystem, schemes } from '#shared/matching/versions/index.ts';
import type { OsInfo, Package } from '#shared/packages/package.ts';
import { catalogers } from './index.ts';

const cases = catalogers.flatMap((c) => c.packageTypes.map((type): [string, PackageType] => [c.name, type]));

const packageOf = (type: PackageType): Package => ({
  name: 'example',
  version: '1.0.0',
  type,
  purl: `pkg:${ecosystemOf(type)!.purlType}/example@1.0.0`,
  licenses: [],
  location: 'usr/lib/example',
  layerIndex: 0,
});

describe('every cataloger package type', () => {
  it('is declared by the catalogers that produce packages', () => {
    expect(catalogers.filter((c) => c.packageTypes.length === 0).map((c) => c.name)).toEqual(['os-release']);
  });

  it.each(cases)('%s → %s has a version scheme for each of its OSV ecosystems', (_, type) => {
    const advisories = ecosystemOf(type)?.advisories;
    expect(advisories, `${type} has no advisories in shared/ecosystems`).toBeTruthy();
    for (const osv of [...advisories!.osv, ...(advisories!.relatedOsv ?? [])]) expect(schemeForEcosystem(osv)).toBe(schemes[advisories!.versionScheme]);
  });

  it.each(cases)('%s → %s is looked up in an ecosystem of the table (on each distribution it names)', (_, type) => {
    const ecosystem = ecosystemOf(type)!;
    const pkg = packageOf(type);
    const distributions = Object.entries(ecosystem.advisories?.distributions ?? {});
    const images: Array<OsInfo | undefined> = ecosystem.kind === 'os' ? distributions.map(([id]) => ({ id, versionId: '9.1' })) : [undefined];
    for (const os of images) {
      // A snapshot that holds a release for every rule: "<osv>:9.1" (listed versions), "<osv>:stream:9::base" (streams).
      const known = distributions.flatMap(([, d]) => [`${d.osv}:9.1`, `${d.osv}:stream:9::base`]);
      const lookup = lookupFor(pkg, os, known);
      expect(lookup?.ecosystems.length, `${type} on ${os?.id ?? 'any image'}`).toBeGreaterThan(0);
      for (const name of lookup!.ecosystems) expect(ecosystem.advisories!.osv).toContain(name.split(':', 1)[0]);
    }
  });

  it.each(cases)('%s → %s is written to both SBOM formats with its purl and purpose', (_, type) => {
    const pkg = packageOf(type);
    const source = { id: 'scan-1', image: { name: 'registry.example/app' }, createdAt: '2026-01-01T00:00:00Z', packages: [pkg] };
    const spdx = JSON.parse(toSpdx(source)) as {
      packages: Array<{ name: string; primaryPackagePurpose: string; externalRefs?: Array<{ referenceLocator: string }> }>;
    };
    const written = spdx.packages.find((p) => p.name === 'example');
    expect(written?.primaryPackagePurpose).toBe(ecosystemOf(type)!.kind === 'os' ? 'OPERATING_SYSTEM' : 'LIBRARY');
    expect(written?.externalRefs?.[0]?.referenceLocator).toBe(pkg.purl);
    const cyclonedx = JSON.parse(toCycloneDx(source)) as { components: Array<{ purl?: string; properties?: Array<{ name: string; value: string }> }> };
    expect(cyclonedx.components[0]).toMatchObject({ purl: pkg.purl, properties: expect.arrayContaining([{ name: 'harborguard:package:type', value: type }]) });
  });
});
