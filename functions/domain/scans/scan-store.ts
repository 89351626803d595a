// The ports through which scans reach storage and the queue. Adapters: functions/adapters/.
import type { Finding } from '../findings/finding.ts';
import type { ScanListQuery } from './list-query.ts';
import type { Scan, ScanListItem, ScanStatus } from './scan.ts';

export interface ScanStatusView {
  id: string;
  status: ScanStatus;
  progress?: { stage: string; percent: number };
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
  /** Replaces the scan's summary (expected to be in `previousStatus`) and its findings. */
  saveResults(scan: Scan, previousStatus: ScanStatus | undefined, findings: Finding[]): Promise<void>;
  listFindings(orgId: string, scanId: string): Promise<Finding[]>;
  /** Removes the scan, its findings and its counters' share; the removed scan, if it existed. */
  deleteScan(orgId: string, scanId: string): Promise<Scan | undefined>;
}

/** Packages, layers and raw scanner output: too large for the scan record, kept as objects. */
export interface ScanArtifacts {
  packages: unknown[];
  layers: unknown[];
  checks: unknown[];
  scanners: unknown[];
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
