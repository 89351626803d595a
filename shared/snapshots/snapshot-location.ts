// Where the published advisory snapshot lives in S3: an s3://bucket/key URL (--db, $HARBORGUARD_DB)
// or HARBORGUARD_DB_S3_BUCKET + HARBORGUARD_DB_S3_KEY (what the Fargate task definition sets).
/** Where a deployment publishes the snapshot and its tasks read it (in the artifact bucket's advisories/ prefix). */
export const DEFAULT_SNAPSHOT_KEY = 'advisories/advisories.db';

export interface SnapshotLocation {
  bucket: string;
  key: string;
}

export function parseS3Url(url: string): SnapshotLocation {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/(.+)$/.exec(url);
  if (!m) throw new Error(`not an S3 object URL (s3://<bucket>/<key>): ${url}`);
  return { bucket: m[1]!, key: m[2]! };
}

export const isS3Url = (value: string | undefined): value is string => value?.startsWith('s3://') ?? false;

/** The snapshot's S3 location from the environment, if it names one. */
export function snapshotLocationFromEnv(env: NodeJS.ProcessEnv = process.env): SnapshotLocation | undefined {
  const { HARBORGUARD_DB_S3_BUCKET: bucket, HARBORGUARD_DB_S3_KEY: key } = env;
  if (bucket || key) {
    if (!bucket || !key) throw new Error('HARBORGUARD_DB_S3_BUCKET and HARBORGUARD_DB_S3_KEY go together');
    return { bucket, key };
  }
  return isS3Url(env.HARBORGUARD_DB) ? parseS3Url(env.HARBORGUARD_DB) : undefined;
}
