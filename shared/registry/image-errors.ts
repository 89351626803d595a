// Typed failures of image sources: the CLI prints their message as the one-line reason.
export class ImageSourceError extends Error {
  override name = 'ImageSourceError';
}

export class ImageNotFoundError extends ImageSourceError {
  override name = 'ImageNotFoundError';
}

/** The image has no variant for the platform asked for (failure code UNSUPPORTED_PLATFORM). */
export class UnsupportedPlatformError extends ImageNotFoundError {
  override name = 'UnsupportedPlatformError';
}

/** No OCI registry answered at the host: one error for every cause, so failures never tell ports apart. */
export class RegistryUnreachableError extends ImageSourceError {
  override name = 'RegistryUnreachableError';
}

export class AuthRequiredError extends ImageSourceError {
  override name = 'AuthRequiredError';
}

/** The image's own bytes contradict what its manifest or config claims (size, digest, format). */
export class ImageIntegrityError extends ImageSourceError {
  override name = 'ImageIntegrityError';
}

/**
 * The image is beyond what the engine reads (entries, header or decompressed bytes, packages,
 * layers): refused with the limit it crossed, never half-scanned or left to run without bound.
 */
export class ImageTooLargeError extends ImageSourceError {
  override name = 'ImageTooLargeError';
}
