// The layer cache as one scan uses it: name each layer by a digest that is known to be its
// content, fetch what the store holds for those names at once, hand back what still stands, and
// store what was read. A layer is named only by a digest that fixes its bytes: a registry's blob
// is addressed by the digest it is fetched by (and every pull verifies it); a local file is hashed
// first, which costs a read but no decompression, no tar walk and no parsing. A config's diffID is
// never a name: nothing checks it unless the layer is decompressed.
import { createHash } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import type { Cataloger } from '../catalogers/cataloger.ts';
import { mapPool } from '#shared/concurrency/map-pool.ts';
import { hashesUncompressed, type LayerReadOptions, type LayerScan } from '../image/layer-reader.ts';
import type { LayerBlob } from '../image/resolved-image.ts';
import { reuseCachedLayer, versionsOf, type ExpectedLayer } from './cached-layer.ts';
import { decodeLayerEntry, encodeLayerEntry } from './layer-cache-entry.ts';
import { layerCacheKey } from './layer-cache-key.ts';
import type { LayerCacheStore } from './layer-cache-store.ts';

async function hashOf(layer: LayerBlob, algorithm: string): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(
    await layer.open(),
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done();
      },
    }),
  );
  return `${algorithm}:${hash.digest('hex')}`;
}

/** The digest that names this layer's bytes, or undefined when none is known without reading it. */
async function contentDigest(layer: LayerBlob): Promise<string | undefined> {
  const { digest } = layer.descriptor;
  if (!digest) return undefined;
  if (layer.contentAddressed) return digest;
  // A file whose bytes are not what its descriptor says is read, and refused, as without a cache.
  return (await hashOf(layer, digest.startsWith('sha512:') ? 'sha512' : 'sha256')) === digest ? digest : undefined;
}

const sameVersions = (recorded: Record<string, number>, catalogers: readonly Cataloger[]): boolean =>
  catalogers.length === Object.keys(recorded).length && catalogers.every((cataloger) => recorded[cataloger.name] === cataloger.version);

export class ImageLayerCache {
  private readonly writes: Array<Promise<void>> = [];
  private readonly failures: string[] = [];

  private constructor(
    private readonly store: LayerCacheStore,
    private readonly keys: Array<string | undefined>,
    private readonly held: Map<string, Buffer>,
    private readonly catalogers: readonly Cataloger[],
    private readonly limits: LayerReadOptions,
  ) {}

  static async open(
    store: LayerCacheStore,
    layers: readonly LayerBlob[],
    catalogers: readonly Cataloger[],
    limits: LayerReadOptions,
    concurrency: number,
  ): Promise<ImageLayerCache> {
    const keys = await mapPool(layers, concurrency, async (layer) => {
      const digest = await contentDigest(layer);
      return digest ? layerCacheKey(digest, limits) : undefined;
    });
    const wanted = [...new Set(keys.filter((key) => key !== undefined))];
    // A store that cannot answer is a cache that is empty: the scan reads every layer.
    const held = wanted.length > 0 ? await store.getMany(wanted).catch(() => new Map<string, Buffer>()) : new Map<string, Buffer>();
    return new ImageLayerCache(store, keys, held, catalogers, limits);
  }

  /** Layer `index` from the cache, as a fresh read of it would be; undefined when it must be read. */
  async lookup(index: number, expected: ExpectedLayer): Promise<LayerScan | undefined> {
    const key = this.keys[index];
    const bytes = key && this.held.get(key);
    if (!bytes) return undefined;
    const cached = await decodeLayerEntry(key, bytes);
    const scan = cached && reuseCachedLayer(cached, expected, this.catalogers, this.limits);
    if (!scan) return undefined;
    // Catalogers that changed without wanting anything here: record that, so the next scan need not look again.
    if (!sameVersions(cached.catalogers, this.catalogers)) this.keep(key, { ...cached, catalogers: versionsOf(this.catalogers) });
    return scan;
  }

  /** Stores what a read of layer `index` found (in the background; `settled` waits for it). */
  remember(index: number, scan: LayerScan, expected: ExpectedLayer): void {
    const key = this.keys[index];
    if (!key) return;
    const computedDiffId = hashesUncompressed(scan.compression, expected, this.limits) ? scan.diffId : undefined;
    this.keep(key, { scan, catalogers: versionsOf(this.catalogers), ...(computedDiffId ? { computedDiffId } : {}) });
  }

  private keep(key: string, cached: Parameters<typeof encodeLayerEntry>[1]): void {
    this.writes.push(
      encodeLayerEntry(key, cached)
        .then((bytes) => this.store.put(key, bytes))
        .catch((error: unknown) => void this.failures.push((error as Error).message)),
    );
  }

  /** Waits for the entries being stored; returns why any could not be (a cache never fails a scan). */
  async settled(): Promise<string[]> {
    await Promise.all(this.writes);
    return this.failures;
  }
}
