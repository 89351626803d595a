// The name of a layer's cache entry: its verified digest, the reader that read it and the limits
// it was read under (a layer refused under tight limits must not be a hit under loose ones, nor
// the reverse). Cataloger versions are not in the key but in the entry (layer-cache-entry.ts):
// bumping one cataloger then re-reads only the layers that hold files it wants.
import { createHash } from 'node:crypto';
import { LAYER_READER_VERSION, type LayerReadOptions } from '../image/layer-reader.ts';

export function layerCacheKey(digest: string, limits: LayerReadOptions): string {
  const fingerprint = Object.keys(limits)
    .sort()
    .map((name) => `${name}=${String(limits[name as keyof LayerReadOptions])}`)
    .join(';');
  return createHash('sha256').update(`harborguard layer\n${LAYER_READER_VERSION}\n${digest}\n${fingerprint}`).digest('hex');
}
