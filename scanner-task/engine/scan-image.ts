// The engine: open the image, read every layer once (in parallel), stack them, and build the inventory.
import { catalogers as allCatalogers } from '../catalogers/index.ts';
import type { Cataloger } from '../catalogers/cataloger.ts';
import { mergeLayers, type MergedFilesystem } from '../image/filesystem-merge.ts';
import { DEFAULT_LAYER_OPTIONS, readLayer, type LayerReadOptions, type LayerScan } from '../image/layer-reader.ts';
import type { ResolvedImage } from '../image/resolved-image.ts';
import { ImageLayerCache } from '../layer-cache/image-layer-cache.ts';
import type { LayerCacheStore } from '../layer-cache/layer-cache-store.ts';
import type { OsInfo, Package } from '#shared/packages/package.ts';
import { fitImageName, fitOs, fitPackages, refuseBeyondEnvelope } from './envelope-fit.ts';
import { buildInventory } from './inventory.ts';
import { mapPool } from '#shared/concurrency/map-pool.ts';

export interface ScanOptions {
  catalogers?: readonly Cataloger[];
  limits?: Partial<LayerReadOptions>;
  /** Layers read at once: each holds one decompressor and one tar walker. */
  concurrency?: number;
  /** Where each layer's analysis is kept, so a layer seen before is not read again (layer-cache/). */
  layerCache?: LayerCacheStore;
  onProgress?: (message: string) => void;
}

export interface ImageScan {
  image: ResolvedImage;
  layers: LayerScan[];
  filesystem: MergedFilesystem;
  os?: OsInfo;
  packages: Package[];
  warnings: string[];
  durationMs: number;
}

export async function scanImage(image: ResolvedImage, options: ScanOptions = {}): Promise<ImageScan> {
  const started = performance.now();
  const catalogers = options.catalogers ?? allCatalogers;
  const limits = { ...DEFAULT_LAYER_OPTIONS, ...options.limits };
  // Refused before any layer is read: the envelope could not carry the result.
  refuseBeyondEnvelope('layers', image.layers.length);
  const diffIds = image.config.rootfs?.diff_ids ?? [];
  if (diffIds.length > 0 && diffIds.length !== image.layers.length) {
    options.onProgress?.(`warning: config lists ${diffIds.length} diff_ids for ${image.layers.length} layers`);
  }
  const concurrency = options.concurrency ?? 4;
  const cache = options.layerCache ? await ImageLayerCache.open(options.layerCache, image.layers, catalogers, limits, concurrency) : undefined;
  let done = 0;
  const layers = await mapPool(image.layers, concurrency, async (layer, index) => {
    const expected = {
      digest: layer.descriptor.digest,
      ...(layer.descriptor.size >= 0 ? { size: layer.descriptor.size } : {}),
      ...(diffIds.length === image.layers.length ? { diffId: diffIds[index] } : {}),
    };
    const cached = await cache?.lookup(index, expected);
    if (cached) {
      options.onProgress?.(`layer ${++done}/${image.layers.length} from the layer cache (${cached.entries.size} entries)`);
      return cached;
    }
    const scan = await readLayer(await layer.open(), expected, catalogers, limits);
    cache?.remember(index, scan, expected);
    options.onProgress?.(`layer ${++done}/${image.layers.length} read (${scan.entries.size} entries)`);
    return scan;
  });
  for (const failure of (await cache?.settled()) ?? []) options.onProgress?.(`warning: the layer cache could not store an entry: ${failure}`);
  const filesystem = mergeLayers(layers);
  const inventory = buildInventory(layers, filesystem, catalogers);
  const warnings = layers.flatMap((l) => l.warnings);
  const packages = fitPackages(inventory.packages, warnings);
  const os = fitOs(inventory.os, warnings);
  fitImageName(image, warnings);
  return {
    image,
    layers,
    filesystem,
    ...(os ? { os } : {}),
    packages,
    warnings,
    durationMs: Math.round(performance.now() - started),
  };
}
