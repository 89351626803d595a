// The per-user folder the CLI keeps what it can fetch or compute again: advisory snapshots,
// the layer cache. $XDG_CACHE_HOME/harborguard, else ~/.cache/harborguard (the same on every platform, as the docs say).
import { homedir } from 'node:os';
import { join } from 'node:path';

export const userCacheFolder = (env: NodeJS.ProcessEnv = process.env): string => join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'harborguard');
