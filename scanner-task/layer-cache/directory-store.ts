// The CLI's layer cache: one file per entry in a folder under the user's cache folder
// ($XDG_CACHE_HOME/harborguard/layers). Written to a temporary name and renamed, so a reader
// sees a whole entry or none, and two scans of the same layer at once leave one of them.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mapPool } from '#shared/concurrency/map-pool.ts';
import { LAYER_CACHE_KEY, MAX_LAYER_CACHE_ENTRY_BYTES, type LayerCacheStore } from './layer-cache-store.ts';

async function readBounded(path: string): Promise<Buffer | undefined> {
  let file;
  try {
    file = await open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { size } = await file.stat();
    if (size > MAX_LAYER_CACHE_ENTRY_BYTES) return undefined;
    return await file.readFile();
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

export class DirectoryLayerCache implements LayerCacheStore {
  constructor(private readonly dir: string) {}

  private pathOf(key: string): string {
    if (!LAYER_CACHE_KEY.test(key)) throw new Error(`not a layer-cache key: ${key.slice(0, 80)}`);
    // Two hex digits of fan-out: a cache of many thousand layers stays quick to list.
    return join(this.dir, key.slice(0, 2), key);
  }

  async getMany(keys: readonly string[]): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>();
    await mapPool(keys, 8, async (key) => {
      const bytes = await readBounded(this.pathOf(key));
      if (bytes) found.set(key, bytes);
    });
    return found;
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    if (bytes.length > MAX_LAYER_CACHE_ENTRY_BYTES) return;
    const path = this.pathOf(key);
    await mkdir(join(path, '..'), { recursive: true });
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }
}
