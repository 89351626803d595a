// What `npm start` says about the advisory snapshot its local scanner tasks will match against:
// the file they read ($HARBORGUARD_DB, else the per-user default), found or not. Only the header
// is read, so starting stays fast whatever the snapshot's size.
import { existsSync } from 'node:fs';
import { defaultDbPath } from '../match/advisory-db.ts';
import { snapshotHeader } from '#shared/matching/snapshot-reader.ts';
import { isS3Url } from '#shared/snapshots/snapshot-location.ts';

export async function localSnapshotStatus(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const path = defaultDbPath(env);
  if (isS3Url(path)) return `advisory snapshot: ${path} (fetched by each scan)`;
  const header = await snapshotHeader(path);
  if (header) return `advisory snapshot: ${path} (built ${header.builtAt}, advisories: ${header.advisories})`;
  // A task fails on a file it cannot read as a snapshot, rather than reporting a clean image.
  if (existsSync(path)) return `advisory snapshot: ${path} is not a readable HarborGuard snapshot; scans fail until it is rebuilt (\`harborguard db build\`)`;
  return (
    `advisory snapshot: none at ${path}; scans complete without vulnerability findings (riskScore null) ` +
    'until you build one there with `npx harborguard db update` or `db build` (README, "Run it locally"), or set HARBORGUARD_DB'
  );
}
