// SPDX 2.3 JSON, written directly (a small, stable format): the image is the described package,
// each package CONTAINED by it, and OS packages CONTAIN the language packages they own.
import { createHash, randomUUID } from 'node:crypto';
import { isOsPackageType } from '../ecosystems/ecosystem-of.ts';
import type { EnvelopePackage } from '../envelope/envelope-schema.ts';
import { classifyLicense } from './licenses.ts';
import { packageKey, type SbomSource } from './sbom-source.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-info.ts';

const NOASSERTION = 'NOASSERTION';

// SPDX ids allow letters, digits, '.' and '-' only; a hash keeps them unique and stable.
const spdxId = (p: EnvelopePackage, salt: string): string =>
  `SPDXRef-Package-${p.type.replace(/[^A-Za-z0-9.-]/g, '-')}-${p.name.replace(/[^A-Za-z0-9.-]/g, '-')}-${createHash('sha256')
    .update(`${packageKey(p)}\0${p.location ?? ''}${salt}`)
    .digest('hex')
    .slice(0, 12)}`;

function licenseRef(name: string): string {
  return `LicenseRef-${name.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64)}`;
}

/** Ids for every package; a package listed twice at the same place gets its position appended. */
function packageIds(packages: EnvelopePackage[]): string[] {
  const used = new Set<string>();
  return packages.map((p, index) => {
    let id = spdxId(p, '');
    if (used.has(id)) id = spdxId(p, `\0${index}`);
    used.add(id);
    return id;
  });
}

export function toSpdx(source: SbomSource, options: { indent?: number } = {}): string {
  const { image } = source;
  const extracted = new Map<string, string>();
  const declared = (p: EnvelopePackage): string => {
    if (!p.licenses || p.licenses.length === 0) return NOASSERTION;
    const parts = p.licenses.map((license) => {
      const kind = classifyLicense(license);
      if (kind.kind === 'id') return kind.id;
      if (kind.kind === 'expression') return `(${kind.expression})`;
      const ref = licenseRef(kind.name);
      extracted.set(ref, kind.name);
      return ref;
    });
    return parts.length === 1 ? parts[0]!.replace(/^\((.*)\)$/, '$1') : parts.join(' AND ');
  };
  const imageId = 'SPDXRef-Image';
  const ids = packageIds(source.packages);
  const ownerIds = new Map<string, string>();
  source.packages.forEach((p, i) => {
    if (p.purl && !p.ownedBy) ownerIds.set(p.purl, ids[i]!);
  });
  const packages = source.packages.map((p, i) => ({
    SPDXID: ids[i]!,
    name: p.name,
    versionInfo: p.version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: declared(p),
    copyrightText: NOASSERTION,
    ...(p.sourceName ? { sourceInfo: `built from source package ${p.sourceName} ${p.sourceVersion ?? ''}`.trim() } : {}),
    ...(p.purl ? { externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }] } : {}),
    primaryPackagePurpose: isOsPackageType(p.type) ? 'OPERATING_SYSTEM' : 'LIBRARY',
    // SPDX 2.3 has no field for how a package was matched: its comment says it for an OS-owned one.
    ...(p.location || p.layerDigest || p.matchedVia
      ? {
          comment: [
            p.location ? `found at /${p.location.replace(/^\//, '')}` : 'found',
            p.layerDigest ? `in layer ${p.layerDigest}` : '',
            p.matchedVia ? `(${p.matchedVia.reason})` : '',
          ]
            .filter(Boolean)
            .join(' '),
        }
      : {}),
  }));
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: image.name,
    documentNamespace: `https://harborguard.dev/spdx/${encodeURIComponent(image.name)}-${source.id ? encodeURIComponent(source.id) : randomUUID()}`,
    creationInfo: { created: new Date(source.createdAt).toISOString().replace(/\.\d+Z$/, 'Z'), creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`] },
    packages: [
      {
        SPDXID: imageId,
        name: image.name,
        versionInfo: image.digest ?? image.tag ?? NOASSERTION,
        downloadLocation: NOASSERTION,
        filesAnalyzed: false,
        licenseConcluded: NOASSERTION,
        licenseDeclared: NOASSERTION,
        copyrightText: NOASSERTION,
        primaryPackagePurpose: 'CONTAINER',
        ...(image.digest?.startsWith('sha256:') ? { checksums: [{ algorithm: 'SHA256', checksumValue: image.digest.slice('sha256:'.length) }] } : {}),
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId },
      ...source.packages.map((p, i) => {
        const owner = p.ownedBy ? ownerIds.get(p.ownedBy) : undefined;
        return { spdxElementId: owner ?? imageId, relationshipType: 'CONTAINS', relatedSpdxElement: ids[i]! };
      }),
    ],
    ...(extracted.size > 0 ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, name]) => ({ licenseId, name, extractedText: name })) } : {}),
  };
  return JSON.stringify(document, null, options.indent ?? 2);
}
