import { describe, expect, it } from 'vitest';
import { envelopePackageSchema } from '#shared/envelope/envelope-schema.ts';
import { ImageTooLargeError } from '#shared/registry/image-errors.ts';
import { matchedViaOwner } from '../match/matched-via-owner.ts';
import type { Package } from '#shared/packages/package.ts';
import { toEnvelopePackage } from '../report/envelope.ts';
import { fitPackages, fitVulnerabilities, refuseBeyondEnvelope, ROUTINE_FIELD_CHARS } from './envelope-fit.ts';

const pkg = (name: string, extra: Partial<Package> = {}): Package => ({
  name,
  version: '1.0',
  type: 'deb',
  purl: `pkg:deb/debian/${name}@1.0`,
  licenses: [],
  location: 'var/lib/dpkg/status',
  layerIndex: 0,
  ...extra,
});

describe('the envelope limits, applied before upload', () => {
  it('refuses counts beyond the envelope in one line that names the count and the maximum', () => {
    expect(() => refuseBeyondEnvelope('packages', 330_112)).toThrow(new ImageTooLargeError('the image has 330,112 packages; at most 200,000 are scanned'));
    expect(() => refuseBeyondEnvelope('vulnerabilities', 100_001)).toThrow('the image has 100,001 vulnerabilities; at most 100,000 are reported');
    expect(() => refuseBeyondEnvelope('layers', 1_000)).not.toThrow();
    expect(() =>
      fitPackages(
        Array.from({ length: 200_001 }, (_, i) => pkg(`p${i}`)),
        [],
      ),
    ).toThrow(ImageTooLargeError);
  });

  it('leaves out the single records the schema would refuse, with a warning', () => {
    const warnings: string[] = [];
    const kept = fitPackages([pkg('ok'), pkg('long-version', { version: '1'.repeat(600) }), pkg('', { purl: 'pkg:deb/debian/x' })], warnings);
    expect(kept.map((p) => p.name)).toEqual(['ok']);
    expect(warnings).toEqual(["2 package(s) left out: a field exceeds the envelope's limits"]);
    const vulnerabilities = fitVulnerabilities(
      [
        { id: 'CVE-1', severity: 'HIGH', package: 'p'.repeat(3_000), version: '1' },
        { id: 'CVE-2', severity: 'LOW', package: 'p', version: '1' },
      ],
      warnings,
    );
    expect(vulnerabilities.map((v) => v.id)).toEqual(['CVE-2']);
  });

  it('skips validating only records the schema accepts whatever their characters', () => {
    // Three-byte characters at the routine length in every field: the schema must accept them.
    const wide = '界'.repeat(ROUTINE_FIELD_CHARS);
    const p = pkg(wide, {
      version: wide,
      purl: wide,
      location: wide,
      sourceName: wide,
      sourceVersion: wide,
      ownedBy: wide,
      matchedVia: matchedViaOwner('pypi', { type: 'deb', name: wide }),
      licenses: Array.from({ length: 64 }, () => wide),
    });
    expect(envelopePackageSchema.safeParse(toEnvelopePackage(p)).success).toBe(true);
  });
});
