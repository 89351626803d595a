// What an SBOM describes: one image and the packages found in it, in the envelope's package shape.
// The scanner fills it from its scan report (CLI formats), the control plane from what ingest
// stored (GET /api/scans/{id}/sbom); the CycloneDX and SPDX writers read only this.
import type { EnvelopePackage, EnvelopeVulnerability } from '../envelope/envelope-schema.ts';

export interface SbomSource {
  /** Stable identity of the document (a scan id); without one every document is new. */
  id?: string;
  image: {
    name: string;
    tag?: string | null;
    digest?: string | null;
    platform?: string;
    os?: { id: string; version?: string };
  };
  /** When the scan finished: the document's creation time (ISO 8601). */
  createdAt: string;
  /** Sensor envelopes may omit purl and location: writers fall back to name, version and position. */
  packages: EnvelopePackage[];
  vulnerabilities?: EnvelopeVulnerability[];
}

export const SBOM_FORMATS = ['cyclonedx', 'spdx'] as const;
export type SbomFormat = (typeof SBOM_FORMATS)[number];

export const SBOM_MEDIA_TYPES: Record<SbomFormat, string> = {
  cyclonedx: 'application/vnd.cyclonedx+json',
  spdx: 'application/spdx+json',
};

/** A package's identity inside one document: its purl, else type/name@version. */
export const packageKey = (p: EnvelopePackage): string => p.purl ?? `${p.type}/${p.name}@${p.version}`;
