// The ports through which scans reach storage and the queue. Adapters: functions/adapters/.
import type { Finding } from '../findings/finding.ts';
import type { ScanListQuery } from './list-query.ts';
import type { Scan, ScanListItem, ScanStatus } from './scan.ts';

export interface ScanStatusView {
  id: string;
  status: ScanStatus;
  progress?: { stage: string; percent: number };
  failure?: Scan['failure'];
  updatedAt: string;
}

export interface ScanStore {
  /** The id of the organisation's tag record for image name + tag (or digest), created on first use. */
  ensureTag(orgId: string, name: string, tagOrDigest: string): Promise<string>;
  /** Stores new scans and their counters atomically: all of them or none. */
  createScans(scans: Scan[]): Promise<void>;
  getScan(orgId: string, scanId: string): Promise<Scan | undefined>;
  getScanStatus(orgId: string, scanId: string): Promise<ScanStatusView | undefined>;
  listScans(orgId: string, query: ScanListQuery): Promise<{ items: ScanListItem[]; total: number }>;
  /**
   * Makes these the scan's findings: writes them and deletes any others. Repeatable; readers
   * show a scan's findings only once it is COMPLETE, so findings staged for a scan that is not
   * yet COMPLETE are invisible until saveScan makes it so.
   */
  replaceFindings(orgId: string, scanId: string, findings: Finding[]): Promise<void>;
  /**
   * Writes the scan's summary if it is still in `previousStatus` (absent when undefined), in one
   * transaction with its counters; false when it is not (someone else moved it first). With
   * `releasingClaimOf`, also only while that envelope holds the scan's ingest claim, which the
   * same transaction releases.
   */
  saveScan(scan: Scan, previousStatus: ScanStatus | undefined, releasingClaimOf?: string): Promise<boolean>;
  /**
   * Reserves the scan's ingest for one envelope until `claim.until`: true when it holds it now
   * (taken, or already its own), false while another envelope's claim is live. Repeatable.
   */
  claimIngest(orgId: string, scanId: string, claim: IngestClaim, now: Date): Promise<boolean>;
  /** Gives up the envelope's claim (its ingest failed), unless another envelope holds it by now. */
  releaseIngest(orgId: string, scanId: string, envelopeSha256: string): Promise<void>;
  listFindings(orgId: string, scanId: string): Promise<Finding[]>;
  getFinding(orgId: string, scanId: string, findingId: string): Promise<Finding | undefined>;
  /** Overwrites these findings of one scan (triage or timeline changes). */
  putFindings(orgId: string, scanId: string, findings: Finding[]): Promise<void>;
  /**
   * Moves the scan from one of `from` to the patched state, atomically with its counters.
   * Undefined when the scan is missing or in another state (someone else moved it first).
   */
  transitionScan(orgId: string, scanId: string, from: readonly ScanStatus[], patch: Partial<Scan>): Promise<Scan | undefined>;
  /** QUEUED → IN_PROGRESS, but only while fewer than the caps' scans run (per organisation, per deployment). */
  startScan(orgId: string, scanId: string, patch: Partial<Scan>, caps: RunningCaps): Promise<'started' | 'not-queued' | 'at-capacity'>;
  /** Active (QUEUED or IN_PROGRESS) scans of every organisation whose deadline is before `before`. */
  listOverdueScans(before: string, limit: number): Promise<Scan[]>;
  /** Every active (QUEUED or IN_PROGRESS) scan of every organisation: for recovering a restarted local stack. */
  listActiveScans(): Promise<Scan[]>;
  /** Removes the scan, its findings and its counters' share; the removed scan, if it existed. */
  deleteScan(orgId: string, scanId: string): Promise<Scan | undefined>;
}

/** One envelope's hold on a scan's ingest: others may not stage results under the same keys meanwhile. */
export interface IngestClaim {
  envelopeSha256: string;
  until: Date;
}

export interface RunningCaps {
  perOrganization: number;
  perDeployment: number;
}

/** Packages, layers and raw scanner output: too large for the scan record, kept as objects. */
export interface ScanArtifacts {
  packages: unknown[];
  layers: unknown[];
  checks: unknown[];
  scanners: unknown[];
  /** Absent in artifacts stored before warnings were kept. */
  warnings?: string[];
  /** The image's OS release, as its envelope said: re-matching OS packages needs it (issue #14). Absent before it was kept. */
  os?: { id: string; version?: string };
}

export interface ScanArtifactStore {
  putArtifacts(orgId: string, scanId: string, artifacts: ScanArtifacts): Promise<void>;
  getArtifacts(orgId: string, scanId: string): Promise<ScanArtifacts | undefined>;
  deleteArtifacts(orgId: string, scanId: string): Promise<void>;
}

/** The message that asks the pipeline to run one scan. */
export interface ScanRequestMessage {
  scanId: string;
  orgId: string;
  image: string;
  scanners: string[];
  requestedAt: string;
}

export interface ScanQueue {
  enqueue(messages: ScanRequestMessage[]): Promise<void>;
}
