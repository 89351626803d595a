// The scan: one run of the scanner pipeline against one image tag.
import type { ComplianceGrade, EnvelopeMatching } from '#shared/envelope/envelope-schema.ts';
import type { SeverityCounts } from '#shared/risk/risk-score.ts';
import type { FailureCode } from '#shared/scans/scan-contract.ts';

export const SCAN_STATUSES = ['QUEUED', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'CANCELLED'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export interface ScanImage {
  /** Registry and repository, e.g. ghcr.io/acme/api or docker.io/library/nginx. */
  name: string;
  tag: string | null;
  digest: string | null;
}

export type { SeverityCounts };

/** The tag record an image reference belongs to: its tag, else its digest, else `latest` (as registries default). */
export const tagNameOf = (image: ScanImage) => image.tag ?? image.digest ?? 'latest';

/** What started a scan, when not a person or script calling the API. */
export type ScanTrigger =
  | { kind: 'registry-push'; integrationId: string; provider: string; eventId: string; imageKey: string }
  /** No pull: the base scan's inventory matched against a newer snapshot (docs/WATCH.md). */
  | { kind: 'rematch'; basedOn: string; snapshot: { builtAt: string; contentHash: string } }
  /** The scheduled registry check found the tag pointing at another manifest (docs/WATCH.md). */
  | { kind: 'registry-check'; previousDigest: string; digest: string };
export const TRIGGER_KINDS = ['api', 'registry-push', 'rematch', 'registry-check'] as const;
export type TriggerKind = (typeof TRIGGER_KINDS)[number];

export const ACTIVE_STATUSES: readonly ScanStatus[] = ['QUEUED', 'IN_PROGRESS'];

export interface Scan {
  id: string;
  orgId: string;
  tagId: string;
  image: ScanImage;
  status: ScanStatus;
  scanners: string[];
  compliance: ComplianceGrade | null;
  /** Null until COMPLETE, and on a COMPLETE scan whose packages were not matched against advisories (`matching`). */
  riskScore: number | null;
  /** Milliseconds from start to finish, once finished. */
  duration: number | null;
  /** When the scan finished; null until then. */
  scannedAt: string | null;
  requestedAt: string;
  updatedAt: string;
  source: 'api' | 'sensor';
  /** Absent for scans submitted or uploaded through the API. */
  trigger?: ScanTrigger;
  progress?: { stage: string; percent: number };
  /** Absent when `matching` is NOT_MATCHED: no findings is not zero findings. */
  severityCounts?: SeverityCounts;
  /** A COMPLETE scan's advisory matching, as its envelope said (MATCHED for envelopes without it). */
  matching?: EnvelopeMatching;
  /** While QUEUED or IN_PROGRESS: when the reaper gives up on the scan. */
  deadline?: string;
  startedAt?: string;
  /** The scanner task running the scan (ECS task ARN). */
  taskArn?: string;
  failure?: { code: FailureCode; reason: string };
  /** The SHA-256 of the envelope whose results a COMPLETE scan holds: a repeated upload of it changes nothing. */
  ingestDigest?: string;
  /** An upload accepted for ingest by the job (functions/domain/scans/ingest-request.ts), not yet ingested. */
  pendingIngest?: { envelopeSha256: string; requestedAt: string };
}

/** The row shown by GET /api/scans. */
export interface ScanListItem {
  id: string;
  tagId: string;
  /** Beyond the reference's row: the image it scanned, so a list names what it lists. */
  image: { name: string; tag: string | null };
  status: ScanStatus;
  compliance: ComplianceGrade | null;
  riskScore: number | null;
  duration: number | null;
  scannedAt: string | null;
  /** As in the scan detail: whether `riskScore` can be read (matchingOf). */
  matching: EnvelopeMatching | null;
}

/**
 * Whether a scan's riskScore can be read: null until COMPLETE; a COMPLETE scan stored before
 * `matching` existed was scored as matched, so it says MATCHED.
 */
export function matchingOf(scan: { status: ScanStatus; matching?: EnvelopeMatching | null }): EnvelopeMatching | null {
  return scan.matching ?? (scan.status === 'COMPLETE' ? { status: 'MATCHED' } : null);
}

/** A list row from what the list index projects (a stored scan's fields, `matching` absent on old or unfinished scans). */
export function toListItem(scan: Omit<ScanListItem, 'matching' | 'image'> & { image: ScanImage; matching?: EnvelopeMatching | null }): ScanListItem {
  const { id, tagId, image, status, compliance, riskScore, duration, scannedAt } = scan;
  return { id, tagId, image: { name: image.name, tag: image.tag }, status, compliance, riskScore, duration, scannedAt, matching: matchingOf(scan) };
}
