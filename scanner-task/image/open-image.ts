// One entry point from a <source> string to a ResolvedImage, whatever transport it names.
import { ValidationError } from '#shared/errors.ts';
import { parseImageSource, type ImageSource } from '#shared/image-reference/image-source.ts';
import { DirectoryStore } from './directory-store.ts';
import { resolveDockerArchive } from './docker-archive.ts';
import { ImageSourceError } from '#shared/registry/image-errors.ts';
import { resolveOciLayout } from './oci-layout.ts';
import type { Platform } from './oci-types.ts';
import { DEFAULT_PLATFORM, refuseOtherPlatform } from './platform.ts';
import { resolveRegistryImage, type RegistryOptions } from './registry/registry-image.ts';
import type { ResolvedImage } from './resolved-image.ts';
import { TarFileStore } from './tar-file-store.ts';

export interface OpenImageOptions extends RegistryOptions {
  platform?: Platform;
}

export async function openImage(source: string, options: OpenImageOptions = {}): Promise<ResolvedImage> {
  const image = await resolveImage(source, options);
  // Only a platform asked for explicitly is enforced on what was resolved. The default linux/amd64
  // is a preference among an index's entries, not a demand: an arm64-only image scanned without
  // --platform is the image its user named, and the Fargate task (which never passes a platform)
  // scans whatever image was submitted. For an index entry this re-checks what the index claimed.
  if (options.platform) {
    try {
      refuseOtherPlatform(image.config, options.platform);
    } catch (error) {
      await image.close();
      throw error;
    }
  }
  return image;
}

/** A source that names no image is an invalid image (INVALID_IMAGE on the scan), not a crash of the scanner. */
function sourceOf(source: string): ImageSource {
  try {
    return parseImageSource(source);
  } catch (error) {
    throw error instanceof ValidationError ? new ImageSourceError(error.message) : error;
  }
}

async function resolveImage(source: string, options: OpenImageOptions): Promise<ResolvedImage> {
  const reference = sourceOf(source);
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
