// The advisory snapshot a watch worker matches with: the one published now (port; the S3
// adapter keeps it on local disk, cached by ETag, and open while it stays current).
import type { AdvisoryIndex } from '#shared/matching/match-packages.ts';
import type { SnapshotIdentity } from './rematch.ts';

export type LoadedSnapshot = AdvisoryIndex & { header: SnapshotIdentity };

export interface SnapshotSource {
  /** The published snapshot, or undefined when none is published yet. */
  current(): Promise<LoadedSnapshot | undefined>;
}
