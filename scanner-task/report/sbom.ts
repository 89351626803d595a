// The scan report as the source of the CycloneDX and SPDX writers the control plane uses too
// (shared/sbom/): one implementation of each format for the CLI and the API.
import type { SbomSource } from '#shared/sbom/sbom-source.ts';
import { toEnvelopePackage } from './envelope.ts';
import type { ScanReport } from './scan-report.ts';

export function sbomSourceOf(report: ScanReport): SbomSource {
  const { scan } = report;
  return {
    image: {
      name: scan.image.name ?? report.source,
      tag: scan.image.tag ?? null,
      digest: scan.image.manifestDigest ?? null,
      platform: report.platform,
      ...(scan.os ? { os: { id: scan.os.id, ...(scan.os.versionId ? { version: scan.os.versionId } : {}) } } : {}),
    },
    createdAt: report.finishedAt,
    packages: scan.packages.map(toEnvelopePackage),
    ...(report.vulnerabilities ? { vulnerabilities: report.vulnerabilities } : {}),
  };
}
