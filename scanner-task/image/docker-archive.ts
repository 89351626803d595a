// `docker save` archives: the legacy layout (manifest.json, <id>/layer.tar) and Docker >= 25's,
// which is an OCI layout whose manifest.json points into blobs/sha256/.
import { createHash } from 'node:crypto';
import { METADATA_LIMIT } from './blob-store.ts';
import { ImageIntegrityError, ImageNotFoundError } from '#shared/registry/image-errors.ts';
import { parseJson, verifyDigest } from './json-blob.ts';
import type { ImageConfig } from './oci-types.ts';
import type { ResolvedImage } from './resolved-image.ts';
import { TarFileStore } from './tar-file-store.ts';

interface SaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
  LayerSources?: Record<string, { mediaType?: string; size?: number; digest?: string }>;
}

// blobs/sha256/<hex> names its own digest; legacy <hash>.json does too.
function digestFromPath(path: string): string | undefined {
  const match = /(?:^|\/)(?:blobs\/sha256\/)?([a-f0-9]{64})(?:\.json)?$/.exec(path);
  return match ? `sha256:${match[1]}` : undefined;
}

export async function resolveDockerArchive(file: string, wantedTag: string | undefined): Promise<ResolvedImage> {
  const store = await TarFileStore.open(file);
  // The archive stays open for the layers; an image that cannot be resolved releases it at once.
  return resolveFromStore(store, file, wantedTag).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
}

async function resolveFromStore(store: TarFileStore, file: string, wantedTag: string | undefined): Promise<ResolvedImage> {
  const manifestBytes = await store.readSmall('manifest.json', METADATA_LIMIT);
  if (!manifestBytes) throw new ImageNotFoundError(`${file} is not a docker archive (no manifest.json)`);
  const entries = parseJson<SaveEntry[]>(manifestBytes, 'manifest.json');
  if (!Array.isArray(entries) || entries.length === 0) throw new ImageNotFoundError(`${file} holds no images`);
  const entry = wantedTag === undefined ? entries[0]! : entries.find((e) => e.RepoTags?.some((t) => t === wantedTag || t.endsWith(`:${wantedTag}`)));
  if (!entry) throw new ImageNotFoundError(`tag "${wantedTag}" not found in ${file}`);
  if (typeof entry.Config !== 'string' || !Array.isArray(entry.Layers)) throw new ImageIntegrityError('manifest.json entry has no Config or Layers');

  const configBytes = await store.readSmall(entry.Config, METADATA_LIMIT);
  if (!configBytes) throw new ImageIntegrityError(`config ${entry.Config} is missing from the archive`);
  const named = digestFromPath(entry.Config);
  if (named) verifyDigest(configBytes, named, 'image config');
  const config = parseJson<ImageConfig>(configBytes, 'image config');
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== entry.Layers.length) throw new ImageIntegrityError('config diff_ids and manifest layers disagree in number');

  const repoTag = entry.RepoTags?.[0];
  const colon = repoTag ? repoTag.lastIndexOf(':') : -1;
  return {
    ...(repoTag ? { name: colon > repoTag.lastIndexOf('/') ? repoTag.slice(0, colon) : repoTag } : {}),
    ...(repoTag && colon > repoTag.lastIndexOf('/') ? { tag: repoTag.slice(colon + 1) } : {}),
    config,
    configBytes,
    configDigest: named ?? `sha256:${createHash('sha256').update(configBytes).digest('hex')}`,
    layers: entry.Layers.map((path, i) => {
      const source = entry.LayerSources?.[diffIds[i]!];
      // Legacy layer.tar files are uncompressed, so their digest is the diffID; blobs name their own.
      const digest = source?.digest ?? digestFromPath(path) ?? diffIds[i]!;
      return { descriptor: { digest, size: source?.size ?? -1, ...(source?.mediaType ? { mediaType: source.mediaType } : {}) }, open: () => store.open(path) };
    }),
    close: () => store.close(),
  };
}
