// The published advisory snapshot for watch workers (SnapshotSource): a conditional GET per
// call (If-None-Match with the cached copy's ETag: a 304 and no bytes while it is current),
// downloaded into the function's /tmp and kept open across invocations of a warm container.
import type { S3 } from '@aws-sdk/client-s3';
import type { LoadedSnapshot, SnapshotSource } from '#domain/watch/snapshot-source.ts';
import { loadSnapshot, type AdvisorySnapshot } from '#shared/matching/snapshot-reader.ts';
import { fetchSnapshot, SnapshotNotPublishedError } from '#shared/snapshots/fetch-snapshot.ts';
import type { SnapshotLocation } from '#shared/snapshots/snapshot-location.ts';

export class S3SnapshotSource implements SnapshotSource {
  private open?: { etag: string; snapshot: AdvisorySnapshot };

  constructor(
    private readonly client: S3,
    private readonly location: SnapshotLocation,
    private readonly cacheDir: string,
  ) {}

  async current(): Promise<LoadedSnapshot | undefined> {
    let fetched;
    try {
      fetched = await fetchSnapshot(this.client, this.location, this.cacheDir);
    } catch (error) {
      if (error instanceof SnapshotNotPublishedError) return undefined;
      throw error;
    }
    if (this.open?.etag !== fetched.etag) {
      // Batches are worked one at a time per container: nothing reads the replaced copy any more.
      this.open?.snapshot.close();
      this.open = { etag: fetched.etag, snapshot: await loadSnapshot(fetched.path) };
    }
    return this.open.snapshot;
  }
}
