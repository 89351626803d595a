// A finished scan's SBOM, written from the packages ingest stored (shared/sbom/ holds
// the writers the scanner's CLI uses too). Only a COMPLETE scan has packages to describe.
import type { EnvelopePackage } from '#shared/envelope/envelope-schema.ts';
import { ConflictError, NotFoundError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import type { SbomSource } from '#shared/sbom/sbom-source.ts';
import type { ScanArtifactStore, ScanStore } from './scan-store.ts';

interface Deps {
  scans: ScanStore;
  artifacts: ScanArtifactStore;
}

export async function scanSbomSource(actor: Principal, scanId: string, deps: Deps): Promise<SbomSource> {
  const scan = await deps.scans.getScan(actor.orgId, scanId);
  if (!scan) throw new NotFoundError(`Scan ${scanId} not found`);
  if (scan.status !== 'COMPLETE') throw new ConflictError(`Scan ${scanId} is ${scan.status}; its SBOM exists once the scan is COMPLETE`);
  const artifacts = await deps.artifacts.getArtifacts(actor.orgId, scanId);
  if (!artifacts) throw new NotFoundError(`No packages are stored for scan ${scanId}`);
  return {
    id: scan.id,
    image: { name: scan.image.name, tag: scan.image.tag, digest: scan.image.digest },
    createdAt: scan.scannedAt ?? scan.updatedAt,
    // Stored by ingest after validation against the envelope schema.
    packages: artifacts.packages as EnvelopePackage[],
  };
}
