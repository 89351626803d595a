// The table's entries must agree with themselves: lookups built from it (ecosystem-of.ts) keep one
// answer per key, so a name claimed by two entries would silently go to whichever came last.
import { describe, expect, it } from 'vitest';
import { ECOSYSTEMS, PACKAGE_TYPES, type Ecosystem } from './ecosystems.ts';
import { MATCHED_OSV_ECOSYSTEMS, osvEcosystem, packageTypeOfScanner } from './ecosystem-of.ts';

const entries: Array<[string, Ecosystem]> = PACKAGE_TYPES.map((type) => [type, ECOSYSTEMS[type]]);
const duplicates = (names: string[]): string[] => names.filter((name, i) => names.indexOf(name) !== i);

describe('the ecosystem table', () => {
  it('names each OSV ecosystem and each other scanner type under one entry only', () => {
    expect(duplicates(entries.flatMap(([, e]) => [...(e.advisories?.osv ?? []), ...(e.advisories?.relatedOsv ?? [])]))).toEqual([]);
    expect(duplicates(entries.flatMap(([, e]) => e.scannerTypes.anchore))).toEqual([]);
    expect(duplicates(entries.flatMap(([, e]) => e.scannerTypes.trivy))).toEqual([]);
  });

  it.each(entries)('%s: an OS entry says which distributions pick its releases, a language entry has none', (_, e) => {
    const distributions = Object.values(e.advisories?.distributions ?? {});
    if (e.kind === 'os') expect(distributions.length).toBeGreaterThan(0);
    else expect(distributions).toEqual([]);
    // Every distribution's ecosystem is one that is matched (and so downloaded), and every matched one is some distribution's.
    for (const { osv } of distributions) expect(e.advisories?.osv).toContain(osv);
    if (e.kind === 'os') expect([...new Set(distributions.map((d) => d.osv))].sort()).toEqual([...(e.advisories?.osv ?? [])].sort());
  });

  it.each(entries)('%s: its purl type is one the purl spec can spell', (_, e) => {
    expect(e.purlType).toMatch(/^[a-z][a-z0-9.+-]*$/);
  });

  it("answers from the table: OSV names with or without a release, other scanners' names, the dumps to download", () => {
    expect(osvEcosystem('Red Hat:enterprise_linux:9::baseos')?.type).toBe('rpm');
    expect(osvEcosystem('Wolfi')?.type).toBe('apk');
    expect(osvEcosystem('debian')).toBeUndefined();
    expect(packageTypeOfScanner('anchore', 'java-archive')).toBe('maven');
    expect(packageTypeOfScanner('trivy', 'cbl-mariner')).toBe('rpm');
    expect(packageTypeOfScanner('trivy', 'java-archive')).toBeUndefined();
    // What a deployment downloads: the matched ecosystems, not those no image is matched against.
    expect(MATCHED_OSV_ECOSYSTEMS).toEqual(expect.arrayContaining(['Debian', 'Ubuntu', 'Red Hat', 'PyPI', 'Go']));
    expect(MATCHED_OSV_ECOSYSTEMS).not.toContain('Wolfi');
  });
});
