// A local scan's envelope as the gate's input: one finding per (vulnerability, package, version),
// merged across the advisories and scanners that reported it, the way the server builds a scan's
// findings (functions/domain/findings/build-findings.ts), so a finding's key is the same in both
// modes and a baseline from either matches.
import { SEVERITIES, type EnvelopeVulnerability, type ScanEnvelope, type Severity } from '#shared/envelope/envelope-schema.ts';
import { defined } from './defined.ts';
import type { GateFinding, GateInput } from './gate-types.ts';

const rank = (severity: Severity) => SEVERITIES.indexOf(severity);

/** The CVE when any of the advisory's ids is one (as the server keys findings), else the advisory's own id. */
function vulnerabilityIdOf(v: EnvelopeVulnerability): string {
  return v.cveId ?? [v.id, ...(v.aliases ?? [])].find((id) => id.startsWith('CVE-')) ?? v.id;
}

export const findingKeyOf = (finding: Pick<GateFinding, 'vulnerabilityId' | 'package' | 'version'>): string =>
  `${finding.vulnerabilityId}#${finding.package}#${finding.version}`;

function firstFinding(v: EnvelopeVulnerability): GateFinding {
  const vulnerabilityId = vulnerabilityIdOf(v);
  const finding: GateFinding = {
    key: findingKeyOf({ vulnerabilityId, package: v.package, version: v.version }),
    vulnerabilityId,
    aliases: [],
    severity: v.severity,
    cvss: v.cvss ?? null,
    package: v.package,
    version: v.version,
    fixedVersion: v.fixedVersion ?? null,
    knownExploited: v.knownExploited === true,
    references: [],
  };
  return merge(finding, v);
}

/** `finding` with one more advisory's view of it: the worst severity and CVSS, any KEV, the first of the rest. */
function merge(finding: GateFinding, v: EnvelopeVulnerability): GateFinding {
  const cvss = v.cvss ?? null;
  const aliases = new Set([...finding.aliases, v.id, ...(v.cveId ? [v.cveId] : []), ...(v.aliases ?? [])]);
  aliases.delete(finding.vulnerabilityId);
  const epss = v.epss === undefined ? finding.epss : Math.max(v.epss, finding.epss ?? 0);
  return {
    ...finding,
    aliases: [...aliases].sort(),
    severity: rank(v.severity) < rank(finding.severity) ? v.severity : finding.severity,
    cvss: cvss !== null && (finding.cvss === null || cvss > finding.cvss) ? cvss : finding.cvss,
    fixedVersion: finding.fixedVersion ?? v.fixedVersion ?? null,
    knownExploited: finding.knownExploited || v.knownExploited === true,
    references: [...new Set([...finding.references, ...(v.references ?? [])])],
    ...defined({
      packageType: finding.packageType ?? v.packageType,
      purl: finding.purl ?? v.purl,
      epss,
      layerDigest: finding.layerDigest ?? v.layerDigest,
      title: finding.title ?? v.title,
    }),
  };
}

/** Most severe first, then by vulnerability, package and version: the order a person reads (and a stable one). */
export function compareGateFindings(a: GateFinding, b: GateFinding): number {
  return (
    rank(a.severity) - rank(b.severity) ||
    a.vulnerabilityId.localeCompare(b.vulnerabilityId) ||
    a.package.localeCompare(b.package) ||
    a.version.localeCompare(b.version)
  );
}

function gateFindings(vulnerabilities: readonly EnvelopeVulnerability[]): GateFinding[] {
  const byKey = new Map<string, GateFinding>();
  for (const v of vulnerabilities) {
    const key = findingKeyOf({ vulnerabilityId: vulnerabilityIdOf(v), package: v.package, version: v.version });
    const existing = byKey.get(key);
    byKey.set(key, existing ? merge(existing, v) : firstFinding(v));
  }
  return [...byKey.values()].sort(compareGateFindings);
}

/** `reference` is the image as the user named it (the envelope holds only its parts). */
export function gateInputFromEnvelope(envelope: ScanEnvelope, reference: string): GateInput {
  return {
    image: { reference, ...defined({ digest: envelope.image.digest }) },
    findings: gateFindings(envelope.vulnerabilities),
    checks: envelope.checks ?? [],
    compliance: envelope.compliance ? { grade: envelope.compliance.grade, score: envelope.compliance.score } : { grade: null },
    // An envelope written before `matching` existed was matched (envelope-schema.ts).
    matched: envelope.matching?.status !== 'NOT_MATCHED',
    ...defined({ matchingDetail: envelope.matching?.detail }),
  };
}
