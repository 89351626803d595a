// The fixture image's packages as the SBOM writers take them: the findings' packages, with the
// purls the findings carry, and a few that no finding is in.
import type { EnvelopePackage } from '#shared/envelope/envelope-schema.ts';
import type { SbomSource } from '#shared/sbom/sbom-source.ts';
import { curl, glibc, nghttp2, openssl, semver, zlib } from './gate-fixture.ts';

const deb = (name: string, version: string, purl: string): EnvelopePackage => ({
  name,
  version,
  type: 'deb',
  purl,
  licenses: [],
  location: `var/lib/dpkg/status#${name}`,
});

export const sbomSource: SbomSource = {
  id: 'scn-3kp9q1',
  image: { name: 'ghcr.io/acme/payments-api', tag: '1.4.2', digest: 'sha256:5b0c3a8e2f4d6b8a0c2e4f6a8b0d2f4e6a8c0e2b4d6f8a0c2e4b6d8f0a2c4e6b', platform: 'linux/amd64', os: { id: 'debian', version: '12' } },
  createdAt: '2026-12-01T22:14:03.000Z',
  packages: [
    ...[openssl, zlib, nghttp2, curl, glibc].map((f) => deb(f.package, f.version, f.purl!)),
    deb('bash', '5.2.15-2+b7', 'pkg:deb/debian/bash@5.2.15-2%2Bb7?arch=amd64&distro=debian-12'),
    { name: 'semver', version: semver.version, type: 'npm', purl: semver.purl!, licenses: ['ISC'], location: 'app/node_modules/semver/package.json' },
    { name: 'express', version: '4.19.2', type: 'npm', purl: 'pkg:npm/express@4.19.2', licenses: ['MIT'], location: 'app/node_modules/express/package.json' },
  ],
  // Per advisory, as the envelope has them: the VDR writes its own, per finding.
  vulnerabilities: [{ id: 'DSA-5757-1', severity: 'CRITICAL', package: 'openssl', version: openssl.version, purl: openssl.purl! }],
};
