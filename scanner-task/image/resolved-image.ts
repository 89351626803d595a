// What every image source hands to the engine: the chosen manifest, its config and a way to read layers.
import type { Readable } from 'node:stream';
import type { Descriptor, ImageConfig } from './oci-types.ts';

export interface LayerBlob {
  /** Compressed digest when the source knows it; verified while streaming. */
  descriptor: Descriptor;
  /**
   * True when the source fetches the blob by its descriptor's digest from a content-addressed
   * store (a registry), so that digest names these bytes before they are read (the layer cache's key).
   */
  contentAddressed?: boolean;
  /** Opens the raw (possibly compressed) bytes of the layer. */
  open(): Promise<Readable>;
}

export interface ResolvedImage {
  name?: string;
  tag?: string;
  /** Digest of the manifest when the source has one (not for legacy docker archives). */
  manifestDigest?: string;
  config: ImageConfig;
  /** The config exactly as stored (what configDigest is the digest of), for writing the image out again. */
  configBytes: Buffer;
  configDigest: string;
  layers: LayerBlob[];
  close(): Promise<void>;
}
