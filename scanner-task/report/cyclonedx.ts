// CycloneDX 1.6 JSON through the CycloneDX library: the image as the BOM's subject, each package a
// component; language packages owned by an OS package are nested inside it (reported once).
import { Enums, Models, Serialize, Spec } from '@cyclonedx/cyclonedx-library';
import type { Package } from '../model/package.ts';
import { classifyLicense } from './licenses.ts';
import type { ScanReport } from './scan-report.ts';
import { TOOL_NAME, TOOL_VERSION } from './tool-info.ts';

function licensesOf(p: Package): Models.LicenseRepository {
  const kinds = p.licenses.map(classifyLicense);
  // The schema allows either one expression or a list of single licences, not a mix.
  const expression = kinds.find((k) => k.kind === 'expression');
  if (expression?.kind === 'expression') return new Models.LicenseRepository([new Models.LicenseExpression(expression.expression)]);
  return new Models.LicenseRepository(kinds.map((k) => (k.kind === 'id' ? new Models.SpdxLicense(k.id) : new Models.NamedLicense(k.kind === 'name' ? k.name : ''))));
}

function component(p: Package): Models.Component {
  const properties = [
    new Models.Property(`${TOOL_NAME}:package:type`, p.type),
    new Models.Property(`${TOOL_NAME}:package:location`, `/${p.location}`),
    ...(p.layerDigest ? [new Models.Property(`${TOOL_NAME}:package:layer_digest`, p.layerDigest)] : []),
    ...(p.sourceName ? [new Models.Property(`${TOOL_NAME}:package:source_name`, p.sourceName)] : []),
    ...(p.sourceVersion ? [new Models.Property(`${TOOL_NAME}:package:source_version`, p.sourceVersion)] : []),
  ];
  return new Models.Component(Enums.ComponentType.Library, p.name, {
    version: p.version,
    purl: p.purl,
    bomRef: `${p.purl}#/${p.location}`,
    licenses: licensesOf(p),
    properties: new Models.PropertyRepository(properties),
  });
}

export function toCycloneDx(report: ScanReport): string {
  const { scan } = report;
  const image = new Models.Component(Enums.ComponentType.Container, scan.image.name ?? report.source, {
    bomRef: 'image',
    ...(scan.image.manifestDigest ? { version: scan.image.manifestDigest } : scan.image.tag ? { version: scan.image.tag } : {}),
    properties: new Models.PropertyRepository([
      new Models.Property(`${TOOL_NAME}:image:platform`, report.platform),
      ...(scan.os ? [new Models.Property(`${TOOL_NAME}:image:os`, `${scan.os.id} ${scan.os.versionId ?? ''}`.trim())] : []),
    ]),
  });
  const bom = new Models.Bom({
    metadata: new Models.Metadata({
      timestamp: new Date(report.finishedAt),
      tools: new Models.Tools({ tools: new Models.ToolRepository([new Models.Tool({ vendor: 'HarborGuard', name: TOOL_NAME, version: TOOL_VERSION })]) }),
      component: image,
    }),
  });
  const components = new Map<Package, Models.Component>(scan.packages.map((p) => [p, component(p)]));
  const byPurl = new Map<string, Models.Component>();
  for (const [p, c] of components) if (!p.ownedBy) byPurl.set(p.purl, c);
  for (const [p, c] of components) {
    const owner = p.ownedBy ? byPurl.get(p.ownedBy) : undefined;
    if (owner) owner.components.add(c);
    else bom.components.add(c);
  }
  for (const v of report.vulnerabilities ?? []) {
    const ref = v.purl ? byPurl.get(v.purl)?.bomRef : undefined;
    bom.vulnerabilities.add(
      new Models.Vulnerability.Vulnerability({
        id: v.id,
        ...(v.title ? { description: v.title } : {}),
        ratings: new Models.Vulnerability.RatingRepository([new Models.Vulnerability.Rating({ severity: v.severity.toLowerCase() as Enums.Vulnerability.Severity, ...(v.cvss != null ? { score: v.cvss } : {}), ...(v.cvssVector ? { vector: v.cvssVector } : {}) })]),
        ...(ref ? { affects: new Models.Vulnerability.AffectRepository([new Models.Vulnerability.Affect(ref)]) } : {}),
        ...(v.fixedVersion ? { recommendation: `Upgrade ${v.package} to ${v.fixedVersion}` } : {}),
        properties: new Models.PropertyRepository([...(v.sources ?? []).map((id) => new Models.Property(`${TOOL_NAME}:vulnerability:source`, id)), ...(v.layerDigest ? [new Models.Property(`${TOOL_NAME}:vulnerability:layer_digest`, v.layerDigest)] : [])]),
      }),
    );
  }
  const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));
  return serializer.serialize(bom, { sortLists: true, space: 2 });
}
