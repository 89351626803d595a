// SPDX 2.3 JSON, written directly (a small, stable format): the image is the described package,
// each package CONTAINED by it, and OS packages CONTAIN the language packages they own.
import { createHash, randomUUID } from 'node:crypto';
import type { Package } from '../model/package.ts';
import { classifyLicense } from './licenses.ts';
import type { ScanReport } from './scan-report.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-info.ts';

const NOASSERTION = 'NOASSERTION';

// SPDX ids allow letters, digits, '.' and '-' only; a hash keeps them unique and stable.
const spdxId = (p: Package): string => `SPDXRef-Package-${p.type}-${p.name.replace(/[^A-Za-z0-9.-]/g, '-')}-${createHash('sha256').update(`${p.purl}\0${p.location}`).digest('hex').slice(0, 12)}`;

function licenseRef(name: string): string {
  return `LicenseRef-${name.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 64)}`;
}

export function toSpdx(report: ScanReport): string {
  const { scan } = report;
  const extracted = new Map<string, string>();
  const declared = (p: Package): string => {
    if (p.licenses.length === 0) return NOASSERTION;
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
  const imageName = scan.image.name ?? report.source;
  const imageId = 'SPDXRef-Image';
  const ids = new Map(scan.packages.map((p) => [p, spdxId(p)]));
  const ownerIds = new Map<string, string>();
  for (const p of scan.packages) if (!p.ownedBy) ownerIds.set(p.purl, ids.get(p)!);
  const packages = scan.packages.map((p) => ({
    SPDXID: ids.get(p)!,
    name: p.name,
    versionInfo: p.version,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: declared(p),
    copyrightText: NOASSERTION,
    ...(p.sourceName ? { sourceInfo: `built from source package ${p.sourceName} ${p.sourceVersion ?? ''}`.trim() } : {}),
    externalRefs: [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: p.purl }],
    primaryPackagePurpose: p.type === 'deb' || p.type === 'rpm' || p.type === 'apk' ? 'OPERATING_SYSTEM' : 'LIBRARY',
    comment: `found at /${p.location}${p.layerDigest ? ` in layer ${p.layerDigest}` : ''}`,
  }));
  const document = {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: imageName,
    documentNamespace: `https://harborguard.dev/spdx/${encodeURIComponent(imageName)}-${randomUUID()}`,
    creationInfo: { created: report.finishedAt.replace(/\.\d+Z$/, 'Z'), creators: [`Tool: ${TOOL_NAME}-${TOOL_VERSION}`] },
    packages: [
      {
        SPDXID: imageId,
        name: imageName,
        versionInfo: scan.image.manifestDigest ?? scan.image.tag ?? NOASSERTION,
        downloadLocation: NOASSERTION,
        filesAnalyzed: false,
        licenseConcluded: NOASSERTION,
        licenseDeclared: NOASSERTION,
        copyrightText: NOASSERTION,
        primaryPackagePurpose: 'CONTAINER',
        ...(scan.image.manifestDigest ? { checksums: [{ algorithm: 'SHA256', checksumValue: scan.image.manifestDigest.replace(/^sha256:/, '') }] } : {}),
      },
      ...packages,
    ],
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId },
      ...scan.packages.map((p) => {
        const owner = p.ownedBy ? ownerIds.get(p.ownedBy) : undefined;
        return { spdxElementId: owner ?? imageId, relationshipType: 'CONTAINS', relatedSpdxElement: ids.get(p)! };
      }),
    ],
    ...(extracted.size > 0 ? { hasExtractedLicensingInfos: [...extracted].map(([licenseId, name]) => ({ licenseId, name, extractedText: name })) } : {}),
  };
  return JSON.stringify(document, null, 2);
}
