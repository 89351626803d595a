// A tag's current state: its latest COMPLETE scan, which a re-match starts from (docs/WATCH.md).
// Recorded by ingest; listed, across organisations, for a re-match run.

/** Partitions of the watched-tags index: a run reads them in parallel, and no partition grows with every tag. */
export const WATCH_SHARDS = 16;

export interface TagState {
  orgId: string;
  tagId: string;
  scanId: string;
  scannedAt: string;
  /** The snapshot the scan was matched against; null when it was not matched. */
  snapshotHash: string | null;
}

export interface TagStateStore {
  /** Makes the scan the tag's current one, unless a scan finished later already is: false then. */
  recordCurrentScan(state: TagState): Promise<boolean>;
  /** One shard's tags last scanned at or after `since`, a page at a time. */
  listWatchedTags(shard: number, since: string, after?: string): Promise<{ tags: TagState[]; next?: string }>;
}
