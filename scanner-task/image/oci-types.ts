// The subset of the OCI image spec (and Docker schema 2) the engine reads.
import { MEDIA_TYPES } from '#shared/registry/media-types.ts';

export { MEDIA_TYPES };

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType?: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
}

export interface ImageManifest {
  schemaVersion: number;
  mediaType?: string;
  config: Descriptor;
  layers: Descriptor[];
}

export interface ImageIndex {
  schemaVersion: number;
  mediaType?: string;
  manifests: Descriptor[];
}

export interface HistoryEntry {
  created?: string;
  created_by?: string;
  empty_layer?: boolean;
  comment?: string;
}

export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  created?: string;
  config?: {
    User?: string;
    Env?: string[];
    Cmd?: string[];
    Entrypoint?: string[];
    Healthcheck?: { Test?: string[] };
    ExposedPorts?: Record<string, unknown>;
    Labels?: Record<string, string>;
    WorkingDir?: string;
  };
  rootfs?: { type: string; diff_ids: string[] };
  history?: HistoryEntry[];
}

/** Anything that says it is an index (OCI or Docker) rather than a single-image manifest. */
export function isIndex(document: { mediaType?: string; manifests?: unknown }): boolean {
  return document.mediaType === MEDIA_TYPES.ociIndex || document.mediaType === MEDIA_TYPES.dockerManifestList || Array.isArray(document.manifests);
}
