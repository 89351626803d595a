// Re-matching a tag's current scan against a newer advisory snapshot from its stored inventory,
// with no image pull: the findings HarborGuard's own matching gives now, against those the scan
// has. Unchanged → nothing to write. Changed → the envelope of a new scan of the same image
// (trigger `rematch`, docs/WATCH.md) that ingest stores like any other, so first sightings,
// carried triage, resolved findings, risk, grade and webhook events follow as for a scan.
import type { EnvelopeVulnerability, ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { matchPackages, type AdvisoryIndex } from '#shared/matching/match-packages.ts';
import { inventoryOs, inventoryPackages } from '#shared/matching/stored-inventory.ts';
import { buildFindings } from '../findings/build-findings.ts';
import type { Finding } from '../findings/finding.ts';
import type { Scan } from '../scans/scan.ts';
import type { ScanArtifacts } from '../scans/scan-store.ts';

/** The engine's name in findings' sources: re-matching re-evaluates only what it reported. */
const ENGINE = 'harborguard';

export interface RematchBase {
  scan: Scan;
  findings: readonly Finding[];
  artifacts: ScanArtifacts;
}

export interface SnapshotIdentity {
  builtAt: string;
  contentHash: string;
  advisories?: number;
}

export type RematchOutcome =
  | { changed: false; reason: 'same-snapshot' | 'same-findings' }
  | { changed: true; envelope: ScanEnvelope; added: Finding[]; resolved: Finding[]; updated: Finding[] };

const byEngine = (finding: Finding) => finding.scanner === ENGINE || finding.sources.includes(ENGINE);
/** A finding's identity within a scan: its vulnerability, package and version (build-findings.ts). */
const identity = (finding: Pick<Finding, 'cveId' | 'package' | 'version'>) => `${finding.cveId}\0${finding.package}\0${finding.version}`;
/** What an advisory update can change about a finding that stays: how bad it is, and whether it is known to be exploited. */
const rated = (finding: Finding) => `${finding.severity}\0${finding.cvss ?? ''}\0${finding.knownExploited === true}`;

/** Another scanner's finding as its envelope entry, kept as it was: re-matching does not rerun other tools. */
const asReported = (finding: Finding): EnvelopeVulnerability => ({
  id: finding.cveId,
  severity: finding.severity,
  cvss: finding.cvss,
  package: finding.package,
  version: finding.version,
  fixedVersion: finding.fixedVersion,
  scanner: finding.scanner,
  sources: finding.sources.slice(0, 64),
});

export function rematch(base: RematchBase, index: AdvisoryIndex, snapshot: SnapshotIdentity, newScanId: string, at: Date): RematchOutcome {
  // Idempotent per (tag, snapshot): a redelivered batch finds the snapshot already applied.
  if (base.scan.matching?.snapshot?.contentHash === snapshot.contentHash) return { changed: false, reason: 'same-snapshot' };
  const matched = matchPackages(index, inventoryPackages(base.artifacts.packages as ScanEnvelope['packages']), inventoryOs(base.artifacts.os));
  const now = buildFindings(base.scan.id, matched.vulnerabilities, at.toISOString());
  const before = new Map(base.findings.filter(byEngine).map((f) => [identity(f), f]));
  const after = new Map(now.map((f) => [identity(f), f]));
  const added = [...after].filter(([key]) => !before.has(key)).map(([, f]) => f);
  const resolved = [...before].filter(([key]) => !after.has(key)).map(([, f]) => f);
  const updated = [...after].filter(([key, f]) => before.has(key) && rated(before.get(key)!) !== rated(f)).map(([, f]) => f);
  if (added.length === 0 && resolved.length === 0 && updated.length === 0) return { changed: false, reason: 'same-findings' };

  const { scan, artifacts } = base;
  const finishedAt = at.toISOString();
  const envelope: ScanEnvelope = {
    scan: { id: newScanId, startedAt: finishedAt, finishedAt },
    image: {
      name: scan.image.name,
      ...(scan.image.tag ? { tag: scan.image.tag } : {}),
      ...(scan.image.digest ? { digest: scan.image.digest } : {}),
      ...(artifacts.os ? { os: artifacts.os } : {}),
    },
    scanners: artifacts.scanners as ScanEnvelope['scanners'],
    vulnerabilities: [...matched.vulnerabilities, ...base.findings.filter((f) => !byEngine(f)).map(asReported)],
    packages: artifacts.packages as ScanEnvelope['packages'],
    layers: artifacts.layers as ScanEnvelope['layers'],
    checks: artifacts.checks as NonNullable<ScanEnvelope['checks']>,
    matching: { status: 'MATCHED', snapshot },
    warnings: matched.warnings,
  };
  return { changed: true, envelope, added, resolved, updated };
}
