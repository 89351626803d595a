// The scan envelope: what the scanner uploads to the control plane, checked against the shared schema.
import { randomBytes } from 'node:crypto';
import { scanEnvelopeSchema, type EnvelopePackage, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import type { Package } from '#shared/packages/package.ts';
import type { ScanReport } from './scan-report.ts';
import { TOOL_NAME, TOOL_VERSION } from '#shared/sbom/tool-info.ts';

export function newScanId(): string {
  return `scn-${randomBytes(9).toString('base64url')}`;
}

/** A package as the envelope (and the SBOM writers) carry it. */
export function toEnvelopePackage(p: Package): EnvelopePackage {
  return {
    name: p.name,
    version: p.version,
    type: p.type,
    purl: p.purl,
    ...(p.licenses.length > 0 ? { licenses: p.licenses.slice(0, 64) } : {}),
    location: p.location,
    ...(p.layerDigest ? { layerDigest: p.layerDigest } : {}),
    ...(p.sourceName ? { sourceName: p.sourceName } : {}),
    ...(p.sourceVersion ? { sourceVersion: p.sourceVersion } : {}),
    ...(p.ownedBy ? { ownedBy: p.ownedBy } : {}),
    ...(p.matchedVia ? { matchedVia: p.matchedVia } : {}),
  };
}

export function toEnvelope(report: ScanReport, scanId = newScanId()): ScanEnvelope {
  const { scan, breakdown } = report;
  const envelope: ScanEnvelope = {
    scan: { id: scanId, startedAt: report.startedAt, finishedAt: report.finishedAt },
    image: {
      ...(scan.image.name ? { name: scan.image.name } : {}),
      ...(scan.image.tag ? { tag: scan.image.tag } : {}),
      ...(scan.image.manifestDigest ? { digest: scan.image.manifestDigest } : {}),
      platform: report.platform,
      ...(scan.os ? { os: { id: scan.os.id, ...(scan.os.versionId ? { version: scan.os.versionId } : {}) } } : {}),
      size: breakdown.uncompressedSize,
      wastedBytes: breakdown.wastedBytes,
      efficiency: breakdown.efficiency,
    },
    // The engine, then the external scanners that ran beside it (or could not).
    scanners: [{ name: TOOL_NAME, version: TOOL_VERSION, status: 'COMPLETED', durationMs: scan.durationMs }, ...(report.external?.scanners ?? [])],
    vulnerabilities: report.vulnerabilities ?? [],
    packages: [...scan.packages.map(toEnvelopePackage), ...(report.external?.packages ?? [])],
    layers: breakdown.layers.map((l) => ({
      ...(l.digest ? { digest: l.digest } : {}),
      ...(l.diffId ? { diffId: l.diffId } : {}),
      ...(l.size !== undefined ? { size: l.size } : {}),
      ...(l.uncompressedSize !== undefined ? { uncompressedSize: l.uncompressedSize } : {}),
      ...(l.createdBy ? { createdBy: l.createdBy.slice(0, 65536) } : {}),
      ...(l.created ? { created: l.created } : {}),
      empty: l.empty,
      filesAdded: l.filesAdded,
      filesModified: l.filesModified,
      filesRemoved: l.filesRemoved,
      packagesAdded: l.packagesAdded,
    })),
    // `advisory` always: ingest grades with the same function, and a passing check's level cannot say it is advice.
    checks: report.checks.map((c) => ({
      id: c.id,
      title: c.title,
      level: c.level,
      ...(c.details.length > 0 ? { details: c.details.slice(0, 1000) } : {}),
      advisory: c.advisory,
    })),
    ...(report.compliance.grade ? { compliance: report.compliance } : {}),
    ...(report.matching ? { matching: report.matching } : {}),
    ...(scan.warnings.length > 0 ? { warnings: scan.warnings.slice(0, 1000).map((warning) => warning.slice(0, 2048)) } : {}),
  };
  // Producer-side validation: an envelope the endpoint would reject must fail here, not there.
  return scanEnvelopeSchema.parse(envelope);
}
