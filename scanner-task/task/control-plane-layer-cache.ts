// The layer cache of a scanner task (LayerCacheStore): its organisation's entries in the
// control plane's storage, reached only through URLs the control plane pre-signs for this scan
// (POST /api/scans/{id}/layer-cache). One request for the keys a scan wants, their GETs four at
// a time, each read bounded; the PUT URLs are kept for the entries the scan writes. A cache never
// fails a scan: a lookup that goes wrong is an empty cache, logged; a write's failure is the
// caller's to report.
import { MAX_LAYER_CACHE_ENTRY_BYTES, MAX_LAYER_CACHE_KEYS_PER_REQUEST } from '#shared/layer-cache/layer-cache-contract.ts';
import { logger } from '#shared/logging/logger.ts';
import { mapPool } from '#shared/concurrency/map-pool.ts';
import type { LayerCacheStore } from '../layer-cache/layer-cache-store.ts';
import type { ControlPlaneClient } from './control-plane-client.ts';

const PARALLEL_READS = 4;
/** A kept PUT URL this close to its expiry is asked for again. */
const EXPIRY_MARGIN_MS = 60_000;

export class ControlPlaneLayerCache implements LayerCacheStore {
  private readonly putUrls = new Map<string, { url: string; expiresAt: number }>();

  constructor(
    private readonly client: Pick<ControlPlaneClient, 'layerCacheUrls' | 'readPresigned' | 'writePresigned'>,
    private readonly scanId: string,
    private readonly warn: (message: string, fields: Record<string, unknown>) => void = (message, fields) => logger.warn(message, fields),
  ) {}

  /** URLs for the keys, in batches of what one request may name; the PUT URLs kept. */
  private async urls(keys: readonly string[]): Promise<Array<{ key: string; get: string }>> {
    const distinct = [...new Set(keys)];
    const found: Array<{ key: string; get: string }> = [];
    for (let start = 0; start < distinct.length; start += MAX_LAYER_CACHE_KEYS_PER_REQUEST) {
      const { entries, expiresAt } = await this.client.layerCacheUrls(this.scanId, distinct.slice(start, start + MAX_LAYER_CACHE_KEYS_PER_REQUEST));
      for (const { key, get, put } of entries) {
        this.putUrls.set(key, { url: put, expiresAt: Date.parse(expiresAt) });
        found.push({ key, get });
      }
    }
    return found;
  }

  async getMany(keys: readonly string[]): Promise<Map<string, Buffer>> {
    const held = new Map<string, Buffer>();
    if (keys.length === 0) return held;
    try {
      const urls = await this.urls(keys);
      await mapPool(urls, PARALLEL_READS, async ({ key, get }) => {
        const bytes = await this.client.readPresigned(get, MAX_LAYER_CACHE_ENTRY_BYTES);
        if (bytes) held.set(key, bytes);
      });
      return held;
    } catch (error) {
      this.warn('layer cache unavailable: every layer is read', { detail: (error as Error).message });
      return new Map();
    }
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    let kept = this.putUrls.get(key);
    if (!kept || kept.expiresAt - Date.now() < EXPIRY_MARGIN_MS) {
      await this.urls([key]);
      kept = this.putUrls.get(key);
    }
    if (!kept) throw new Error(`the control plane gave no layer-cache URL for ${key}`);
    await this.client.writePresigned(kept.url, bytes, 'layer-cache entry upload to storage');
  }
}
