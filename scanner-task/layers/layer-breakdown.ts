// The layer view of an image: each history step (empty ones included) with its layer's sizes and
// what it changed, plus the image-wide waste (bytes shipped in layers but hidden by later ones).
import type { ImageScan } from '../engine/scan-image.ts';

export interface LayerInfo {
  /** Position among the non-empty layers; absent for history steps that made no layer. */
  index?: number;
  digest?: string;
  diffId?: string;
  size?: number;
  uncompressedSize?: number;
  createdBy?: string;
  created?: string;
  empty: boolean;
  filesAdded: number;
  filesModified: number;
  filesRemoved: number;
  packagesAdded: number;
}

export interface ImageBreakdown {
  layers: LayerInfo[];
  compressedSize: number;
  uncompressedSize: number;
  wastedBytes: number;
  /** Share of the uncompressed bytes the final filesystem actually shows, 0–100. */
  efficiency: number;
}

export function layerBreakdown(scan: ImageScan): ImageBreakdown {
  const packagesPerLayer = new Map<number, number>();
  for (const p of scan.packages) packagesPerLayer.set(p.layerIndex, (packagesPerLayer.get(p.layerIndex) ?? 0) + 1);
  const layerInfo = (index: number): LayerInfo => {
    const layer = scan.layers[index]!;
    const changes = scan.filesystem.changes[index]!;
    return {
      index,
      digest: scan.image.layers[index]!.descriptor.digest,
      diffId: layer.diffId,
      size: layer.compressedSize,
      uncompressedSize: layer.uncompressedSize,
      empty: false,
      ...changes,
      packagesAdded: packagesPerLayer.get(index) ?? 0,
    };
  };
  const history = scan.image.config.history ?? [];
  const nonEmpty = history.filter((h) => !h.empty_layer).length;
  const layers: LayerInfo[] = [];
  if (nonEmpty === scan.layers.length) {
    let next = 0;
    for (const step of history) {
      const common = { ...(step.created_by ? { createdBy: step.created_by } : {}), ...(step.created ? { created: step.created } : {}) };
      if (step.empty_layer) layers.push({ ...common, empty: true, filesAdded: 0, filesModified: 0, filesRemoved: 0, packagesAdded: 0 });
      else layers.push({ ...layerInfo(next++), ...common });
    }
  } else {
    // History that does not line up with the layers cannot be trusted to label them.
    for (let i = 0; i < scan.layers.length; i++) layers.push(layerInfo(i));
  }
  const compressedSize = scan.layers.reduce((sum, l) => sum + l.compressedSize, 0);
  const uncompressedSize = scan.layers.reduce((sum, l) => sum + l.uncompressedSize, 0);
  let fileBytes = 0;
  for (const layer of scan.layers) for (const entry of layer.entries.values()) if (entry.type === 'file') fileBytes += entry.size;
  const wastedBytes = scan.filesystem.wastedBytes;
  const efficiency = fileBytes === 0 ? 100 : Math.round(((fileBytes - wastedBytes) / fileBytes) * 10000) / 100;
  return { layers, compressedSize, uncompressedSize, wastedBytes, efficiency };
}
