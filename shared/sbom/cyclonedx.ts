// CycloneDX 1.6 JSON through the CycloneDX library: the image as the BOM's subject, each package a
// component; language packages owned by an OS package are nested inside it (reported once).
// Subpath imports keep the library's validators (ajv) out of Lambda bundles.
import { createHash } from 'node:crypto';
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import * as Serialize from '@cyclonedx/cyclonedx-library/Serialize';
import * as Spec from '@cyclonedx/cyclonedx-library/Spec';
import type { EnvelopePackage } from '../envelope/envelope-schema.ts';
import { classifyLicense } from './licenses.ts';
import { packageKey, type SbomSource } from './sbom-source.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-info.ts';

function licensesOf(p: EnvelopePackage): Models.LicenseRepository {
  const kinds = (p.licenses ?? []).map(classifyLicense);
  // The schema allows either one expression or a list of single licences, not a mix.
  const expression = kinds.find((k) => k.kind === 'expression');
  if (expression?.kind === 'expression') return new Models.LicenseRepository([new Models.LicenseExpression(expression.expression)]);
  return new Models.LicenseRepository(
    kinds.map((k) => (k.kind === 'id' ? new Models.SpdxLicense(k.id) : new Models.NamedLicense(k.kind === 'name' ? k.name : ''))),
  );
}

function component(p: EnvelopePackage, index: number): Models.Component {
  const properties = [
    new Models.Property(`${TOOL_NAME}:package:type`, p.type),
    ...(p.location ? [new Models.Property(`${TOOL_NAME}:package:location`, `/${p.location.replace(/^\//, '')}`)] : []),
    ...(p.layerDigest ? [new Models.Property(`${TOOL_NAME}:package:layer_digest`, p.layerDigest)] : []),
    ...(p.sourceName ? [new Models.Property(`${TOOL_NAME}:package:source_name`, p.sourceName)] : []),
    ...(p.sourceVersion ? [new Models.Property(`${TOOL_NAME}:package:source_version`, p.sourceVersion)] : []),
    ...(p.matchedVia ? [new Models.Property(`${TOOL_NAME}:package:matched_via`, p.matchedVia.reason)] : []),
  ];
  return new Models.Component(Enums.ComponentType.Library, p.name, {
    version: p.version,
    ...(p.purl ? { purl: p.purl } : {}),
    bomRef: `${packageKey(p)}#${p.location ? `/${p.location.replace(/^\//, '')}` : index}`,
    licenses: licensesOf(p),
    properties: new Models.PropertyRepository(properties),
  });
}

/** A UUID derived from the document id, so that one scan's BOM keeps its serial number. */
function serialNumber(id: string): string {
  const hex = createHash('sha256').update(`harborguard-sbom:${id}`).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * The BOM as a model, for documents that build on the same components (the CI gate's VDR adds its
 * own vulnerabilities and analysis). Without `createdAt` the BOM states no timestamp.
 */
export function cycloneDxBom(source: Omit<SbomSource, 'createdAt'> & { createdAt?: string }): Models.Bom {
  const { image } = source;
  const version = image.digest ?? image.tag;
  const subject = new Models.Component(Enums.ComponentType.Container, image.name, {
    bomRef: 'image',
    ...(version ? { version } : {}),
    properties: new Models.PropertyRepository([
      ...(image.platform ? [new Models.Property(`${TOOL_NAME}:image:platform`, image.platform)] : []),
      ...(image.os ? [new Models.Property(`${TOOL_NAME}:image:os`, `${image.os.id} ${image.os.version ?? ''}`.trim())] : []),
    ]),
  });
  const bom = new Models.Bom({
    ...(source.id ? { serialNumber: serialNumber(source.id) } : {}),
    metadata: new Models.Metadata({
      ...(source.createdAt ? { timestamp: new Date(source.createdAt) } : {}),
      tools: new Models.Tools({ tools: new Models.ToolRepository([new Models.Tool({ vendor: 'HarborGuard', name: TOOL_NAME, version: TOOL_VERSION })]) }),
      component: subject,
    }),
  });
  const components = new Map<EnvelopePackage, Models.Component>(source.packages.map((p, i) => [p, component(p, i)]));
  const byPurl = new Map<string, Models.Component>();
  for (const [p, c] of components) if (p.purl && !p.ownedBy) byPurl.set(p.purl, c);
  for (const [p, c] of components) {
    const owner = p.ownedBy ? byPurl.get(p.ownedBy) : undefined;
    if (owner) owner.components.add(c);
    else bom.components.add(c);
  }
  for (const v of source.vulnerabilities ?? []) {
    const ref = v.purl ? byPurl.get(v.purl)?.bomRef : undefined;
    bom.vulnerabilities.add(
      new Models.Vulnerability.Vulnerability({
        id: v.id,
        ...(v.title ? { description: v.title } : {}),
        ratings: new Models.Vulnerability.RatingRepository([
          new Models.Vulnerability.Rating({
            severity: v.severity.toLowerCase() as Enums.Vulnerability.Severity,
            ...(v.cvss != null ? { score: v.cvss } : {}),
            ...(v.cvssVector ? { vector: v.cvssVector } : {}),
          }),
        ]),
        ...(ref ? { affects: new Models.Vulnerability.AffectRepository([new Models.Vulnerability.Affect(ref)]) } : {}),
        ...(v.fixedVersion ? { recommendation: `Upgrade ${v.package} to ${v.fixedVersion}` } : {}),
        properties: new Models.PropertyRepository([
          ...(v.sources ?? []).map((id) => new Models.Property(`${TOOL_NAME}:vulnerability:source`, id)),
          ...(v.layerDigest ? [new Models.Property(`${TOOL_NAME}:vulnerability:layer_digest`, v.layerDigest)] : []),
        ]),
      }),
    );
  }
  return bom;
}

/** CycloneDX 1.6 JSON with every list sorted, so that the same BOM always reads the same. */
export function serializeCycloneDx(bom: Models.Bom, options: { indent?: number } = {}): string {
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: options.indent ?? 2 });
}

export function toCycloneDx(source: SbomSource, options: { indent?: number } = {}): string {
  return serializeCycloneDx(cycloneDxBom(source), options);
}
