// Resolving an image inside an OCI image layout (index.json + blobs/), from a directory or an archive.
import { type BlobStore, blobPath, METADATA_LIMIT } from './blob-store.ts';
import { ImageIntegrityError, ImageNotFoundError } from '#shared/registry/image-errors.ts';
import { parseJson, readJsonBlob } from './json-blob.ts';
import { type Descriptor, type ImageConfig, type ImageIndex, type ImageManifest, type Platform, isIndex } from './oci-types.ts';
import { selectPlatform } from './platform.ts';
import type { ResolvedImage } from './resolved-image.ts';

const REF_NAME = 'org.opencontainers.image.ref.name';
const MAX_INDEX_DEPTH = 4;

function pickByTag(index: ImageIndex, tag: string | undefined, where: string): Descriptor {
  if (!Array.isArray(index.manifests) || index.manifests.length === 0) throw new ImageNotFoundError(`${where} holds no images`);
  if (tag === undefined) {
    if (index.manifests.length === 1) return index.manifests[0]!;
    const tags = index.manifests.map((m) => m.annotations?.[REF_NAME]).filter(Boolean);
    // Several entries without a tag to choose them by may still be one multi-platform image.
    if (tags.length > 0) throw new ImageNotFoundError(`${where} holds several images: name one of ${tags.join(', ')}`);
    return { mediaType: 'application/vnd.oci.image.index.v1+json', digest: '', size: 0, annotations: {} };
  }
  // skopeo writes the bare tag, other tools the full reference: accept both.
  const found = index.manifests.find((m) => {
    const ref = m.annotations?.[REF_NAME];
    return ref === tag || ref?.endsWith(`:${tag}`);
  });
  if (!found) throw new ImageNotFoundError(`tag "${tag}" not found in ${where}`);
  return found;
}

export async function resolveOciLayout(store: BlobStore, tag: string | undefined, platform: Platform, where: string): Promise<ResolvedImage> {
  const indexBytes = await store.readSmall('index.json', METADATA_LIMIT);
  if (!indexBytes) throw new ImageNotFoundError(`${where} is not an OCI image layout (no index.json)`);
  const top = parseJson<ImageIndex>(indexBytes, 'index.json');
  let descriptor = pickByTag(top, tag, where);
  let document: ImageIndex | ImageManifest =
    descriptor.digest === '' ? top : (await readJsonBlob<ImageIndex | ImageManifest>(store, descriptor.digest, 'manifest')).value;
  let manifestDigest = descriptor.digest;
  for (let depth = 0; isIndex(document); depth++) {
    if (depth >= MAX_INDEX_DEPTH) throw new ImageIntegrityError('image indexes nest too deeply');
    descriptor = selectPlatform((document as ImageIndex).manifests, platform);
    document = (await readJsonBlob<ImageManifest>(store, descriptor.digest, 'manifest')).value;
    manifestDigest = descriptor.digest;
  }
  const manifest = document as ImageManifest;
  if (!manifest.config?.digest || !Array.isArray(manifest.layers)) throw new ImageIntegrityError('manifest has no config or layers');
  const { value: config, bytes: configBytes } = await readJsonBlob<ImageConfig>(store, manifest.config.digest, 'image config');
  return {
    ...(tag !== undefined ? { tag } : {}),
    manifestDigest,
    config,
    configBytes,
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((layer) => ({ descriptor: layer, open: () => store.open(blobPath(layer.digest)) })),
    close: () => store.close(),
  };
}
