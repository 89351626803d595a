// The VDR against the official CycloneDX 1.6 schema, and what it says of each finding: its rating,
// the component it affects, and for a suppressed one the impact analysis VEX consumers read.
import { describe, expect, it } from 'vitest';
import { cycloneDx16Validator } from '#shared/sbom/testdata/schema-validators.ts';
import type { Suppression, Verdict } from '../gate-types.ts';
import { toCycloneDxVdr } from './cyclonedx-vdr.ts';
import { curl, failingVerdict, gateInput, glibc, nghttp2, openssl, semver, zlib } from './testdata/gate-fixture.ts';
import { sbomSource } from './testdata/sbom-source.ts';

interface Component {
  'bom-ref': string;
  name: string;
  purl?: string;
  components?: Component[];
}
interface Bom {
  specVersion: string;
  serialNumber?: string;
  metadata: { timestamp?: string; component: { name: string }; properties?: Array<{ name: string; value: string }> };
  components: Component[];
  vulnerabilities: any[];
}

const vdrOf = (verdict: Verdict = failingVerdict, options = { sbomSource }) => JSON.parse(toCycloneDxVdr(gateInput, verdict, options)) as Bom;
const flatten = (components: Component[]): Component[] => components.flatMap((c) => [c, ...flatten(c.components ?? [])]);
const vulnerabilityOf = (bom: Bom, ref: string) => bom.vulnerabilities.find((v) => v['bom-ref'] === `vulnerability:${ref}`);

describe('toCycloneDxVdr', () => {
  const validate = cycloneDx16Validator();

  it('writes CycloneDX 1.6 that validates against the official schema, with the image’s components', () => {
    const bom = vdrOf();
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component.name).toBe('ghcr.io/acme/payments-api');
    expect(bom.metadata.timestamp).toBe('2026-12-01T22:14:03.000Z');
    expect(bom.metadata.properties).toContainEqual({ name: 'harborguard:gate:outcome', value: 'fail' });
    // Another document than the scan's SBOM: not its serial number.
    expect(bom.serialNumber).toBeUndefined();
    expect(bom.components.map((c) => c.name).sort()).toEqual(['bash', 'express', 'libc6', 'libcurl4', 'libnghttp2-14', 'openssl', 'semver', 'zlib1g']);
  });

  it('lists one vulnerability per finding, rated, affecting its package’s component', () => {
    const bom = vdrOf();
    expect(bom.vulnerabilities.map((v) => v.id).sort()).toEqual([openssl, zlib, nghttp2, curl, glibc, semver].map((f) => f.vulnerabilityId).sort());
    const refs = new Map(flatten(bom.components).map((c) => [c['bom-ref'], c]));
    for (const v of bom.vulnerabilities) expect(refs.has(v.affects[0].ref), v.id).toBe(true);
    const kev = vulnerabilityOf(bom, nghttp2.key);
    expect(refs.get(kev.affects[0].ref)!.purl).toBe(nghttp2.purl);
    expect(kev).toMatchObject({
      source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487' },
      ratings: [{ severity: 'high', score: 7.5 }],
      references: [{ id: 'GHSA-qppj-fm5r-hxr3', source: { name: 'GitHub', url: 'https://github.com/advisories/GHSA-qppj-fm5r-hxr3' } }],
      recommendation: 'Upgrade libnghttp2-14 to 1.52.0-1+deb12u1',
      advisories: [{ url: 'https://nvd.nist.gov/vuln/detail/CVE-2023-44487' }],
    });
    expect(kev.properties).toEqual(
      expect.arrayContaining([
        { name: 'harborguard:gate:status', value: 'counted' },
        { name: 'harborguard:vulnerability:known_exploited', value: 'true' },
      ]),
    );
    const unfixed = vulnerabilityOf(bom, zlib.key);
    expect(unfixed.ratings).toEqual([{ severity: 'low' }]);
    expect(unfixed.recommendation).toBeUndefined();
    expect(unfixed.analysis).toBeUndefined();
  });

  it('states the VEX analysis of a suppressed finding, mapping OpenVEX’s justification onto CycloneDX’s', () => {
    const bom = vdrOf();
    expect(vulnerabilityOf(bom, glibc.key).analysis).toEqual({
      state: 'not_affected',
      justification: 'code_not_reachable',
      detail: 'VEX not_affected: vulnerable_code_not_in_execute_path (vex/payments-api.openvex.json, statement 1)',
    });
    // An ignore rule accepts a risk; it does not say the image is unaffected.
    expect(vulnerabilityOf(bom, semver.key).analysis).toEqual({ detail: 'ignored: dev-only dependency, removed in 1.5 (.harborguard.yaml, ignore[0])' });
    expect(vulnerabilityOf(bom, semver.key).properties).toContainEqual({ name: 'harborguard:gate:status', value: 'suppressed' });
  });

  it.each<[Suppression, Record<string, unknown>]>([
    [{ kind: 'vex', reason: 'fixed', source: 'vex.json' }, { state: 'resolved' }],
    [
      { kind: 'vex', reason: 'not_affected', justification: 'inline_mitigations_already_exist', source: 'vex.json' },
      { state: 'not_affected', justification: 'protected_by_mitigating_control' },
    ],
    [
      { kind: 'vex', reason: 'not_affected', justification: 'requires_configuration', source: 'cdx-vex.json' },
      { state: 'not_affected', justification: 'requires_configuration' },
    ],
    [{ kind: 'vex', reason: 'not_affected', justification: 'we checked and it is fine', source: 'vex.json' }, { state: 'not_affected' }],
    [
      { kind: 'triage', reason: 'WONT_FIX', source: 'alice@example.com' },
      { state: 'exploitable', response: ['will_not_fix'] },
    ],
  ])('maps %o', (suppression, expected) => {
    const bom = vdrOf({ ...failingVerdict, counted: [], suppressed: [{ finding: openssl, suppression }] });
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const { analysis } = vulnerabilityOf(bom, openssl.key);
    expect({ ...analysis, detail: undefined }).toEqual({ ...expected, detail: undefined });
    expect(analysis.detail).toContain(suppression.reason);
    if (!('justification' in expected)) expect(analysis.justification).toBeUndefined();
  });

  it('lists the findings that do not count too, saying why', () => {
    const bom = vdrOf({ ...failingVerdict, counted: [openssl, nghttp2], inBaseline: [curl], notCountedUnfixed: [zlib] });
    expect(validate(bom)).toBe(true);
    expect(bom.vulnerabilities).toHaveLength(6);
    expect(vulnerabilityOf(bom, curl.key).properties).toContainEqual({ name: 'harborguard:gate:status', value: 'baseline' });
    expect(vulnerabilityOf(bom, zlib.key).properties).toContainEqual({ name: 'harborguard:gate:status', value: 'unfixed' });
  });

  it('lists only the findings’ packages without an SBOM source, and states no time', () => {
    const bom = JSON.parse(toCycloneDxVdr(gateInput, failingVerdict)) as Bom;
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bom.metadata.timestamp).toBeUndefined();
    expect(bom.metadata.component.name).toBe('ghcr.io/acme/payments-api:1.4.2');
    expect(bom.components.map((c) => c.purl).sort()).toEqual([openssl, zlib, nghttp2, curl, glibc, semver].map((f) => f.purl).sort());
    const refs = new Set(bom.components.map((c) => c['bom-ref']));
    for (const v of bom.vulnerabilities) expect(refs.has(v.affects[0].ref)).toBe(true);
  });

  it('prints the same bytes whatever order the findings came in', () => {
    const reordered: Verdict = { ...failingVerdict, counted: [...failingVerdict.counted].reverse(), suppressed: [...failingVerdict.suppressed].reverse() };
    expect(toCycloneDxVdr(gateInput, reordered, { sbomSource })).toBe(toCycloneDxVdr(gateInput, failingVerdict, { sbomSource }));
  });
});
