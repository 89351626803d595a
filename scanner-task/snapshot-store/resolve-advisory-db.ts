// Which advisory snapshot a scan matches against. An S3 location (s3://… in --db or
// $HARBORGUARD_DB, or HARBORGUARD_DB_S3_BUCKET/_KEY as the Fargate task gets it) is fetched into
// the local cache first, conditionally by ETag; anything else is a local file as before.
// A configured S3 snapshot that is not there (the updater has not published one yet) leaves the
// scan NOT_MATCHED, never "clean"; one that is there but cannot be fetched fails the scan.
import { join } from 'node:path';
import { userCacheFolder } from '../model/user-cache-folder.ts';
import { openAdvisoryDb, type OpenedDb } from '../match/advisory-db.ts';
import { fetchSnapshot, SnapshotNotPublishedError, type FetchedSnapshot } from '#shared/snapshots/fetch-snapshot.ts';
import { isS3Url, parseS3Url, snapshotLocationFromEnv } from '#shared/snapshots/snapshot-location.ts';

function snapshotCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(userCacheFolder(env), 'snapshots');
}

export async function resolveAdvisoryDb(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ db: OpenedDb; fetched?: FetchedSnapshot }> {
  const location = isS3Url(explicit) ? parseS3Url(explicit) : explicit === undefined ? snapshotLocationFromEnv(env) : undefined;
  if (!location) return { db: await openAdvisoryDb(explicit, env) };
  // The SDK's own configuration: region, credentials (the task role), AWS_ENDPOINT_URL_S3 locally.
  let fetched: FetchedSnapshot;
  try {
    const { S3Client } = await import('@aws-sdk/client-s3');
    fetched = await fetchSnapshot(new S3Client({ followRegionRedirects: true }), location, snapshotCacheDir(env));
  } catch (error) {
    if (error instanceof SnapshotNotPublishedError) return { db: { path: `s3://${location.bucket}/${location.key}`, reason: error.message } };
    throw error;
  }
  return { db: await openAdvisoryDb(fetched.path, env), fetched };
}
