// The scan: one run of the scanner pipeline against one image tag.
import type { ComplianceGrade, Severity } from '../envelope/envelope-schema.ts';

export const SCAN_STATUSES = ['QUEUED', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'CANCELLED'] as const;
export type ScanStatus = (typeof SCAN_STATUSES)[number];

export const SCANNERS = ['harborguard', 'trivy', 'grype', 'syft', 'osv', 'dockle', 'dive'] as const;
export type ScannerName = (typeof SCANNERS)[number];

export interface ScanImage {
  /** Registry and repository, e.g. ghcr.io/acme/api or docker.io/library/nginx. */
  name: string;
  tag: string | null;
  digest: string | null;
}

export type SeverityCounts = Record<Severity, number>;

export interface Scan {
  id: string;
  orgId: string;
  tagId: string;
  image: ScanImage;
  status: ScanStatus;
  scanners: string[];
  compliance: ComplianceGrade | null;
  riskScore: number | null;
  /** Milliseconds from start to finish, once finished. */
  duration: number | null;
  /** When the scan finished; null until then. */
  scannedAt: string | null;
  requestedAt: string;
  updatedAt: string;
  source: 'api' | 'sensor';
  progress?: { stage: string; percent: number };
  severityCounts?: SeverityCounts;
}

/** The row shown by GET /api/scans. */
export interface ScanListItem {
  id: string;
  tagId: string;
  status: ScanStatus;
  compliance: ComplianceGrade | null;
  riskScore: number | null;
  duration: number | null;
  scannedAt: string | null;
}

export function toListItem(scan: ScanListItem): ScanListItem {
  const { id, tagId, status, compliance, riskScore, duration, scannedAt } = scan;
  return { id, tagId, status, compliance, riskScore, duration, scannedAt };
}
