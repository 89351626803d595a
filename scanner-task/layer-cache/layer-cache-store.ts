// Where layer-cache entries live: a folder under the user's cache folder for the CLI
// (directory-store.ts), the organisation's prefix of the artifact bucket for a scanner task
// (reached through pre-signed URLs the control plane issues for the task's own scan only, so a
// task can never read or write another organisation's entries). Entries are opaque bytes here;
// layer-cache-entry.ts encodes them and detects corruption, so a store need not be trusted.
export interface LayerCacheStore {
  /** The entries held for these keys (keys without one are absent from the map). Never throws for a missing entry. */
  getMany(keys: readonly string[]): Promise<Map<string, Buffer>>;
  /** Stores one entry under its key, replacing any. A failure is the caller's to report; a cache never fails a scan. */
  put(key: string, bytes: Buffer): Promise<void>;
}

// The key form and the entry bound are shared with the control plane, which pre-signs URLs for them.
export { LAYER_CACHE_KEY, MAX_LAYER_CACHE_ENTRY_BYTES } from '#shared/layer-cache/layer-cache-contract.ts';
