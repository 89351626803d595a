// One entry point from a <source> string to a ResolvedImage, whatever transport it names.
import { DirectoryStore } from './directory-store.ts';
import { resolveDockerArchive } from './docker-archive.ts';
import { parseImageReference } from './image-reference.ts';
import { resolveOciLayout } from './oci-layout.ts';
import type { Platform } from './oci-types.ts';
import { DEFAULT_PLATFORM } from './platform.ts';
import { resolveRegistryImage, type RegistryOptions } from './registry/registry-image.ts';
import type { ResolvedImage } from './resolved-image.ts';
import { TarFileStore } from './tar-file-store.ts';

export interface OpenImageOptions extends RegistryOptions {
  platform?: Platform;
}

export async function openImage(source: string, options: OpenImageOptions = {}): Promise<ResolvedImage> {
  const reference = parseImageReference(source);
  const platform = options.platform ?? DEFAULT_PLATFORM;
  switch (reference.kind) {
    case 'oci':
      return resolveOciLayout(new DirectoryStore(reference.path), reference.tag, platform, reference.path);
    case 'oci-archive': {
      const store = await TarFileStore.open(reference.path);
      // The archive stays open for the layers; an image that cannot be resolved releases it at once.
      return resolveOciLayout(store, reference.tag, platform, reference.path).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
    }
    case 'docker-archive':
      return resolveDockerArchive(reference.path, reference.tag);
    case 'registry':
      return resolveRegistryImage(reference, platform, options);
  }
}
