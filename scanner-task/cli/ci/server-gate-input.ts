// A scan the server ran, as the gate's input: its findings as the Scans API returns them
// (GET /api/scans/{id}), with the organisation's triage, which can suppress a finding here.
import type { ComplianceGrade, EnvelopeCheck, Severity } from '#shared/envelope/envelope-schema.ts';
import { findingKeyOf } from '../../gate/gate-input.ts';
import type { GateFinding, GateInput } from '../../gate/gate-types.ts';

/** The parts of the scan detail the gate reads (docs/API.md; functions/http/scans/scan-views.ts). */
export interface ServerScanDetail {
  id: string;
  image: { name: string; tag: string | null; digest: string | null };
  compliance: ComplianceGrade | null;
  complianceScore?: number | null;
  matching?: { status: 'MATCHED' | 'NOT_MATCHED'; detail?: string };
  vulnerabilities: Array<{
    cveId: string;
    severity: Severity;
    cvss: number | null;
    package: string;
    version: string;
    fixedVersion: string | null;
    title: string | null;
    aliases: string[];
    references: string[];
    purl: string | null;
    packageType: string | null;
    layerDigest: string | null;
    knownExploited: boolean;
    epss: number | null;
    triage: { status: string; assignee: string | null; note: string | null; updatedBy: string | null };
  }>;
  checks?: EnvelopeCheck[];
}

export function gateInputFromServerScan(detail: ServerScanDetail, reference: string, scanUrl: string): GateInput {
  const findings = detail.vulnerabilities.map((v): GateFinding => ({
    key: findingKeyOf({ vulnerabilityId: v.cveId, package: v.package, version: v.version }),
    vulnerabilityId: v.cveId,
    aliases: v.aliases,
    severity: v.severity,
    cvss: v.cvss,
    package: v.package,
    version: v.version,
    fixedVersion: v.fixedVersion,
    knownExploited: v.knownExploited,
    references: v.references,
    triage: { status: v.triage.status, assignee: v.triage.assignee, note: v.triage.note, updatedBy: v.triage.updatedBy },
    ...(v.purl ? { purl: v.purl } : {}),
    ...(v.packageType ? { packageType: v.packageType } : {}),
    ...(v.layerDigest ? { layerDigest: v.layerDigest } : {}),
    ...(v.title ? { title: v.title } : {}),
    ...(v.epss !== null ? { epss: v.epss } : {}),
  }));
  return {
    image: { reference, ...(detail.image.digest ? { digest: detail.image.digest } : {}) },
    // In the server's order: every report orders findings itself.
    findings,
    checks: (detail.checks ?? []).map(({ id, title, level, details, advisory }) => ({
      id,
      title,
      level,
      ...(details ? { details } : {}),
      ...(advisory ? { advisory } : {}),
    })),
    compliance: { grade: detail.compliance, ...(typeof detail.complianceScore === 'number' ? { score: detail.complianceScore } : {}) },
    matched: detail.matching?.status !== 'NOT_MATCHED',
    ...(detail.matching?.detail ? { matchingDetail: detail.matching.detail } : {}),
    scan: { id: detail.id, url: scanUrl },
  };
}
