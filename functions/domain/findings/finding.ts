// A vulnerability finding: one advisory affecting one installed package in one scan,
// with its triage state and its timeline across scans of the same image.
import type { Severity } from '#shared/envelope/envelope-schema.ts';

export const TRIAGE_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'IN_PROGRESS', 'FIXED', 'WONT_FIX'] as const;
export type TriageStatus = (typeof TRIAGE_STATUSES)[number];

export interface Finding {
  id: string;
  scanId: string;
  /** The CVE id when the advisory has one, else the advisory's own id. */
  cveId: string;
  severity: Severity;
  cvss: number | null;
  package: string;
  version: string;
  fixedVersion: string | null;
  scanner: string;
  sources: string[];
  triage: {
    status: TriageStatus;
    assignee: string | null;
    slaDeadline: string | null;
    note: string | null;
    updatedBy: string | null;
    updatedAt: string | null;
  };
  timeline: { detectedAt: string; firstSeenAt: string; resolvedAt: string | null };
  /** Set when the finding was first seen by re-matching a stored inventory against newer advisories, not by a scan (docs/WATCH.md). */
  detectedBy?: 'rematch';
  // What the envelope said about the vulnerability (finding-details.ts): each absent when no
  // advisory of the finding had it, and on findings stored before they were kept.
  title?: string;
  /** Every other id of the vulnerability: the advisories' ids and aliases, without `cveId`. */
  aliases?: string[];
  references?: string[];
  cvssVector?: string;
  purl?: string;
  packageType?: string;
  /** The layer that added the package. */
  layerDigest?: string;
  /** In CISA's Known Exploited Vulnerabilities catalog, by any advisory of the finding. */
  knownExploited?: boolean;
  /** FIRST EPSS probability (0–1), the highest the advisories gave. */
  epss?: number;
}
