// A stored scan's inventory (its envelope's packages, as ingest keeps them with the scan's
// artifacts) as matching reads it: re-matching it against a newer snapshot gives the findings
// the scan would have had, without pulling the image again (issue #14).
import type { EnvelopePackage } from '../envelope/envelope-schema.ts';
import type { OsInfo, OsPackageType, Package, PackageType } from '../packages/package.ts';

/** Matching reads names, versions, types, sources, owners and layers; an unknown type is reported unmatched, as in a scan. */
export const inventoryPackages = (packages: readonly EnvelopePackage[]): Package[] =>
  packages.map(({ matchedVia, ...pkg }, i) => ({
    ...pkg,
    type: pkg.type as PackageType,
    purl: pkg.purl ?? '',
    licenses: pkg.licenses ?? [],
    location: pkg.location ?? `inventory[${i}]`,
    layerIndex: 0,
    ...(matchedVia ? { matchedVia: { ...matchedVia, type: matchedVia.type as OsPackageType } } : {}),
  }));

/** The envelope's `image.os`, as the engine's OS release. */
export const inventoryOs = (os: { id: string; version?: string } | undefined): OsInfo | undefined =>
  os ? { id: os.id, ...(os.version !== undefined ? { versionId: os.version } : {}) } : undefined;
