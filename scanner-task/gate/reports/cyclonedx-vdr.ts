// CycloneDX 1.6 with vulnerabilities (a VDR) and, for the findings that do not count, their impact
// analysis (VEX): the SBOM's components from shared/sbom/cyclonedx.ts plus one vulnerability per
// finding, affecting its package's component. One per finding rather than per id, because the
// analysis is per finding: the same CVE may be not_affected in one package and open in another.
import * as Enums from '@cyclonedx/cyclonedx-library/Enums';
import * as Models from '@cyclonedx/cyclonedx-library/Models';
import { cycloneDxBom, serializeCycloneDx } from '#shared/sbom/cyclonedx.ts';
import type { SbomSource } from '#shared/sbom/sbom-source.ts';
import { TOOL_NAME } from '#shared/sbom/tool-info.ts';
import type { GateFinding, GateInput, Verdict } from '../gate-types.ts';
import { analysisOf } from './cyclonedx-analysis.ts';
import { byCodeUnits } from './finding-order.ts';
import { verdictFindings } from './verdict-findings.ts';

export interface CycloneDxVdrOptions {
  /**
   * The image's packages, as the SBOM formats take them (`sbomSourceOf(report)` for a local scan).
   * Without it the document lists only the packages the findings are in.
   */
  sbomSource?: SbomSource;
}

/** Where an id is published, by its prefix; OSV indexes the ecosystems' own ids (DSA, GO, PYSEC, …). */
function sourceOf(id: string): Models.Vulnerability.Source {
  const encoded = encodeURIComponent(id);
  if (id.startsWith('CVE-')) return new Models.Vulnerability.Source({ name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${encoded}` });
  if (id.startsWith('GHSA-')) return new Models.Vulnerability.Source({ name: 'GitHub', url: `https://github.com/advisories/${encoded}` });
  return new Models.Vulnerability.Source({ name: 'OSV', url: `https://osv.dev/vulnerability/${encoded}` });
}

/** Finds each finding's package among the SBOM's components (nested ones too), or adds it. */
function componentsOf(bom: Models.Bom): (f: GateFinding) => Models.Component {
  const byPurl = new Map<string, Models.Component>();
  const byNameVersion = new Map<string, Models.Component>();
  const walk = (components: Iterable<Models.Component>) => {
    for (const c of components) {
      if (c.purl) byPurl.set(c.purl.toString(), c);
      byNameVersion.set(`${c.name}@${c.version ?? ''}`, c);
      walk(c.components);
    }
  };
  walk(bom.components);
  return (f) => {
    const found = (f.purl ? byPurl.get(f.purl) : undefined) ?? byNameVersion.get(`${f.package}@${f.version}`);
    if (found) return found;
    const added = new Models.Component(Enums.ComponentType.Library, f.package, {
      version: f.version,
      ...(f.purl ? { purl: f.purl } : {}),
      bomRef: f.purl ?? `${f.packageType ?? 'package'}/${f.package}@${f.version}`,
    });
    bom.components.add(added);
    if (f.purl) byPurl.set(f.purl, added);
    byNameVersion.set(`${f.package}@${f.version}`, added);
    return added;
  };
}

export function toCycloneDxVdr(input: GateInput, verdict: Verdict, options: CycloneDxVdrOptions = {}): string {
  // Not the SBOM's serial number: this is another document about the image. Its own vulnerabilities
  // replace the envelope's, which are per advisory, not per deduplicated finding.
  const {
    id: _sbomId,
    vulnerabilities: _perAdvisory,
    ...source
  } = options.sbomSource ?? {
    image: { name: input.image.reference, ...(input.image.digest ? { digest: input.image.digest } : {}) },
    packages: [],
  };
  const bom = cycloneDxBom(source);
  bom.metadata.properties.add(new Models.Property(`${TOOL_NAME}:gate:outcome`, verdict.outcome));
  const componentOf = componentsOf(bom);
  // The serializer sorts by id; findings sharing one keep the order they were added in, so add them in one.
  const listed = verdictFindings(verdict).sort((a, b) => byCodeUnits(a.finding.key, b.finding.key));
  for (const { finding: f, status } of listed) {
    bom.vulnerabilities.add(
      new Models.Vulnerability.Vulnerability({
        bomRef: `vulnerability:${f.key}`,
        id: f.vulnerabilityId,
        source: sourceOf(f.vulnerabilityId),
        references: new Models.Vulnerability.ReferenceRepository(f.aliases.map((alias) => new Models.Vulnerability.Reference(alias, sourceOf(alias)))),
        ratings: new Models.Vulnerability.RatingRepository([
          new Models.Vulnerability.Rating({
            severity: f.severity.toLowerCase() as Enums.Vulnerability.Severity,
            ...(f.cvss === null ? {} : { score: f.cvss }),
          }),
        ]),
        ...(f.title ? { description: f.title } : {}),
        ...(f.fixedVersion ? { recommendation: `Upgrade ${f.package} to ${f.fixedVersion}` } : {}),
        advisories: new Models.Vulnerability.AdvisoryRepository(f.references.map((url) => new Models.Vulnerability.Advisory(url))),
        affects: new Models.Vulnerability.AffectRepository([new Models.Vulnerability.Affect(componentOf(f).bomRef)]),
        ...(status.kind === 'suppressed' ? { analysis: analysisOf(status.suppression) } : {}),
        properties: new Models.PropertyRepository([
          new Models.Property(`${TOOL_NAME}:gate:status`, status.kind),
          ...(f.knownExploited ? [new Models.Property(`${TOOL_NAME}:vulnerability:known_exploited`, 'true')] : []),
          ...(f.epss === undefined ? [] : [new Models.Property(`${TOOL_NAME}:vulnerability:epss`, String(f.epss))]),
          ...(f.layerDigest ? [new Models.Property(`${TOOL_NAME}:vulnerability:layer_digest`, f.layerDigest)] : []),
        ]),
      }),
    );
  }
  return serializeCycloneDx(bom);
}
