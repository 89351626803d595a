// Where the scanner finds its advisory snapshot: --db, else $HARBORGUARD_DB, else the
// per-user cache (~/.cache/harborguard/advisories.db, or $XDG_CACHE_HOME).
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { userCacheFolder } from '../model/user-cache-folder.ts';
import { loadSnapshot, type AdvisorySnapshot } from '#shared/matching/snapshot-reader.ts';

export function defaultDbPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.HARBORGUARD_DB) return env.HARBORGUARD_DB;
  return join(userCacheFolder(env), 'advisories.db');
}

export type OpenedDb = { snapshot: AdvisorySnapshot; path: string } | { snapshot?: undefined; path: string; reason: string };

/** An explicit --db that is missing is an error; a missing default only means "no vulnerability data". */
export async function openAdvisoryDb(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<OpenedDb> {
  const path = explicit ?? defaultDbPath(env);
  if (explicit === undefined) {
    try {
      await access(path);
    } catch {
      return { path, reason: `no advisory database at ${path} (build one with \`harborguard db build\`, or pass --db / set HARBORGUARD_DB)` };
    }
  }
  return { snapshot: await loadSnapshot(path), path };
}
