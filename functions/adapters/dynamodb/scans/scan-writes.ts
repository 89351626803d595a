// Every write of a scan item, each one transaction with its counters (counters.ts) and
// conditional on the status it was read in, so that concurrent writers (dispatcher, task
// events, reaper, ingest, a user's cancel or delete) never both win. A lost race re-reads and
// tries again, a throttled or conflicting transaction likewise, within retry.ts's bound; past
// it the caller gets a ConflictError (409: retry later) rather than a Lambda spinning to its timeout.
import { ConflictError } from '#shared/errors.ts';
import type { RunningCaps } from '#domain/scans/scan-store.ts';
import type { Scan, ScanStatus } from '#domain/scans/scan.ts';
import { TRY_AGAIN, withRetries } from '../retry.ts';
import { counterUpdates, statusDeltas, sumDeltas } from './counters.ts';
import { deleteFindings } from './findings.ts';
import { releaseIngestItem } from './ingest-claims.ts';
import { scanKey } from './keys.ts';
import { getScan } from './scan-reads.ts';
import { toScanItem } from './scan-item.ts';
import { transact } from './transaction.ts';
import type { ScanTable } from './table.ts';

/** Room in each transaction (100 items) for the organisation and deployment counters. */
const SCANS_PER_TRANSACTION = 98;

const contended = (scanId: string) => () => new ConflictError(`Scan ${scanId} kept changing while it was being written; retry`);

type PutOutcome = 'written' | 'status-changed' | 'at-capacity' | 'claim-lost' | 'contended';

interface PutOptions {
  caps?: RunningCaps;
  /** The envelope whose ingest claim this write releases, and which must still hold it. */
  releasingClaimOf?: string;
}

/** Writes the whole scan item if it is still in `previousStatus` (absent when undefined). */
async function putScan(table: ScanTable, scan: Scan, previousStatus: ScanStatus | undefined, options: PutOptions = {}): Promise<PutOutcome> {
  const condition =
    previousStatus === undefined
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : { ConditionExpression: '#s = :prev', ExpressionAttributeNames: { '#s': 'status' }, ExpressionAttributeValues: { ':prev': previousStatus } };
  const claim = options.releasingClaimOf === undefined ? [] : [releaseIngestItem(table, scan.orgId, scan.id, options.releasingClaimOf)];
  const outcome = await transact(
    table,
    [
      { Put: { TableName: table.tableName, Item: toScanItem(scan), ...condition } },
      ...claim,
      ...counterUpdates(table.tableName, scan.orgId, statusDeltas(previousStatus, scan.status), options.caps),
    ],
    'putScan',
  );
  if (outcome.kind !== 'condition-failed') return outcome.kind;
  // Item 0 is the scan itself, then the claim if any; any later one is a counter whose cap held.
  if (outcome.items[0]) return 'status-changed';
  if (claim.length > 0 && outcome.items[1]) return 'claim-lost';
  return outcome.items.slice(1 + claim.length).some(Boolean) ? 'at-capacity' : 'status-changed';
}

/** All of them or none: a chunk that fails has the chunks written before it deleted again. */
export async function createScans(table: ScanTable, scans: Scan[]): Promise<void> {
  const written: Scan[] = [];
  try {
    for (let i = 0; i < scans.length; i += SCANS_PER_TRANSACTION) {
      const chunk = scans.slice(i, i + SCANS_PER_TRANSACTION);
      const orgId = chunk[0]!.orgId;
      const items = [
        ...chunk.map((scan) => ({ Put: { TableName: table.tableName, Item: toScanItem(scan), ConditionExpression: 'attribute_not_exists(pk)' } })),
        ...counterUpdates(table.tableName, orgId, sumDeltas(chunk.map((scan) => statusDeltas(undefined, scan.status)))),
      ];
      await withRetries(
        async () => {
          const outcome = await transact(table, items, 'createScans');
          if (outcome.kind === 'condition-failed') throw new ConflictError(`A scan id of ${chunk.map((scan) => scan.id).join(', ')} already exists`);
          return outcome.kind === 'contended' ? TRY_AGAIN : undefined;
        },
        contended(chunk[0]!.id),
        table.retry,
      );
      written.push(...chunk);
    }
  } catch (error) {
    await Promise.all(written.map((scan) => deleteScan(table, scan.orgId, scan.id)));
    throw error;
  }
}

/**
 * False when the scan is no longer in `previousStatus`, or when `releasingClaimOf` no longer holds
 * the scan's ingest claim; a throttled write is retried, not reported as lost.
 */
export async function saveScan(table: ScanTable, scan: Scan, previousStatus: ScanStatus | undefined, releasingClaimOf?: string): Promise<boolean> {
  return withRetries(
    async () => {
      const outcome = await putScan(table, scan, previousStatus, releasingClaimOf === undefined ? {} : { releasingClaimOf });
      return outcome === 'contended' ? TRY_AGAIN : outcome === 'written';
    },
    contended(scan.id),
    table.retry,
  );
}

export async function transitionScan(
  table: ScanTable,
  orgId: string,
  scanId: string,
  from: readonly ScanStatus[],
  patch: Partial<Scan>,
): Promise<Scan | undefined> {
  return withRetries(
    async () => {
      const current = await getScan(table, orgId, scanId);
      if (!current || !from.includes(current.status)) return undefined;
      const next = { ...current, ...patch };
      return (await putScan(table, next, current.status)) === 'written' ? next : TRY_AGAIN;
    },
    contended(scanId),
    table.retry,
  );
}

export async function startScan(
  table: ScanTable,
  orgId: string,
  scanId: string,
  patch: Partial<Scan>,
  caps: RunningCaps,
): Promise<'started' | 'not-queued' | 'at-capacity'> {
  return withRetries(
    async () => {
      const current = await getScan(table, orgId, scanId);
      if (!current || current.status !== 'QUEUED') return 'not-queued' as const;
      const outcome = await putScan(table, { ...current, ...patch, status: 'IN_PROGRESS' }, 'QUEUED', { caps });
      if (outcome === 'written') return 'started' as const;
      return outcome === 'at-capacity' ? outcome : TRY_AGAIN;
    },
    contended(scanId),
    table.retry,
  );
}

/** Deletes the scan conditional on the status it was read in, then its findings. */
export async function deleteScan(table: ScanTable, orgId: string, scanId: string): Promise<Scan | undefined> {
  const removed = await withRetries(
    async () => {
      const scan = await getScan(table, orgId, scanId);
      if (!scan) return undefined;
      const outcome = await transact(
        table,
        [
          {
            Delete: {
              TableName: table.tableName,
              Key: scanKey(orgId, scanId),
              ConditionExpression: '#s = :s',
              ExpressionAttributeNames: { '#s': 'status' },
              ExpressionAttributeValues: { ':s': scan.status },
            },
          },
          ...counterUpdates(table.tableName, orgId, statusDeltas(scan.status, undefined)),
        ],
        'deleteScan',
      );
      // Changed or vanished meanwhile: start over from what is stored now.
      return outcome.kind === 'written' ? scan : TRY_AGAIN;
    },
    contended(scanId),
    table.retry,
  );
  if (removed) await deleteFindings(table, orgId, scanId);
  return removed;
}
