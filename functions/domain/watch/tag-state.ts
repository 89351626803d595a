// A tag's current state: its latest finished scan (the tag's `latestScan`, which ingest swaps in:
// functions/domain/findings/follow-findings.ts), which a re-match starts from (docs/WATCH.md);
// listed across organisations for a re-match run.

/** Partitions of the watched-tags index: a run reads them in parallel, and no partition grows with every tag. */
export const WATCH_SHARDS = 16;

/** What a tag's latest scan records. */
export interface LatestScan {
  scanId: string;
  scannedAt: string;
  /** The snapshot the scan was matched against; null when it was not matched. */
  snapshotHash: string | null;
}

export interface TagState extends LatestScan {
  orgId: string;
  tagId: string;
}

export interface TagStateStore {
  /** One shard's tags last scanned at or after `since`, a page at a time. */
  listWatchedTags(shard: number, since: string, after?: string): Promise<{ tags: TagState[]; next?: string }>;
  /** One organisation's scanned tags last scanned at or after `since`. */
  listOrganizationTags(orgId: string, since: string): Promise<TagState[]>;
  /** These tags' states, for those that were scanned. */
  getTagStates(orgId: string, tagIds: string[]): Promise<TagState[]>;
  /** The id of the organisation's tag of this image, if it was ever named in a scan. */
  findTagId(orgId: string, image: string, tag: string): Promise<string | undefined>;
}
