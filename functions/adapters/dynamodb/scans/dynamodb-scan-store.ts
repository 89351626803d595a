// Where scans are stored: the ScanStore port (functions/domain/scans/scan-store.ts) on the single
// table, one file per responsibility beside this one — scan items and their list-index keys
// (scan-item.ts), reads, conditional writes (scan-writes.ts), counters, the list (scan-list.ts),
// tags, findings, ingest claims, and the reaper's index (active-scans.ts). docs/DYNAMODB.md has the layout.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '#domain/findings/finding.ts';
import type { ScanListQuery } from '#domain/scans/list-query.ts';
import type { IngestClaim, RunningCaps, ScanStatusView, ScanStore } from '#domain/scans/scan-store.ts';
import type { Scan, ScanListItem, ScanStatus } from '#domain/scans/scan.ts';
import type { CapacityObserver } from '../capacity.ts';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry.ts';
import { listActiveScans, listOverdueScans } from './active-scans.ts';
import * as findings from './findings.ts';
import * as claims from './ingest-claims.ts';
import { getScan, getScanStatus } from './scan-reads.ts';
import { listScans } from './scan-list.ts';
import * as writes from './scan-writes.ts';
import type { ScanTable } from './table.ts';
import { ensureTag } from './tags.ts';

export class DynamoDbScanStore implements ScanStore {
  private readonly table: ScanTable;

  constructor(client: DynamoDBDocumentClient, tableName: string, observer?: CapacityObserver, retry: RetryPolicy = DEFAULT_RETRY) {
    this.table = { client, tableName, observer, retry };
  }

  ensureTag(orgId: string, name: string, tagOrDigest: string): Promise<string> {
    return ensureTag(this.table, orgId, name, tagOrDigest);
  }

  createScans(scans: Scan[]): Promise<void> {
    return writes.createScans(this.table, scans);
  }

  getScan(orgId: string, scanId: string): Promise<Scan | undefined> {
    return getScan(this.table, orgId, scanId);
  }

  getScanStatus(orgId: string, scanId: string): Promise<ScanStatusView | undefined> {
    return getScanStatus(this.table, orgId, scanId);
  }

  listScans(orgId: string, query: ScanListQuery): Promise<{ items: ScanListItem[]; total: number }> {
    return listScans(this.table, orgId, query);
  }

  saveScan(scan: Scan, previousStatus: ScanStatus | undefined, releasingClaimOf?: string): Promise<boolean> {
    return writes.saveScan(this.table, scan, previousStatus, releasingClaimOf);
  }

  claimIngest(orgId: string, scanId: string, claim: IngestClaim, now: Date): Promise<boolean> {
    return claims.claimIngest(this.table, orgId, scanId, claim, now);
  }

  releaseIngest(orgId: string, scanId: string, envelopeSha256: string): Promise<void> {
    return claims.releaseIngest(this.table, orgId, scanId, envelopeSha256);
  }

  transitionScan(orgId: string, scanId: string, from: readonly ScanStatus[], patch: Partial<Scan>): Promise<Scan | undefined> {
    return writes.transitionScan(this.table, orgId, scanId, from, patch);
  }

  startScan(orgId: string, scanId: string, patch: Partial<Scan>, caps: RunningCaps): Promise<'started' | 'not-queued' | 'at-capacity'> {
    return writes.startScan(this.table, orgId, scanId, patch, caps);
  }

  deleteScan(orgId: string, scanId: string): Promise<Scan | undefined> {
    return writes.deleteScan(this.table, orgId, scanId);
  }

  listOverdueScans(before: string, limit: number): Promise<Scan[]> {
    return listOverdueScans(this.table, before, limit);
  }

  listActiveScans(): Promise<Scan[]> {
    return listActiveScans(this.table);
  }

  replaceFindings(orgId: string, scanId: string, found: Finding[]): Promise<void> {
    return findings.replaceFindings(this.table, orgId, scanId, found);
  }

  listFindings(orgId: string, scanId: string): Promise<Finding[]> {
    return findings.listFindings(this.table, orgId, scanId);
  }

  getFinding(orgId: string, scanId: string, findingId: string): Promise<Finding | undefined> {
    return findings.getFinding(this.table, orgId, scanId, findingId);
  }

  putFindings(orgId: string, scanId: string, found: Finding[]): Promise<void> {
    return findings.putFindings(this.table, orgId, scanId, found);
  }
}
