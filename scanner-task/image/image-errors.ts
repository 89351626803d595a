// Typed failures of image sources: the CLI prints their message as the one-line reason.
export class ImageSourceError extends Error {
  override name = 'ImageSourceError';
}

export class ImageNotFoundError extends ImageSourceError {
  override name = 'ImageNotFoundError';
}

export class AuthRequiredError extends ImageSourceError {
  override name = 'AuthRequiredError';
}

/** The image's own bytes contradict what its manifest or config claims (size, digest, format). */
export class ImageIntegrityError extends ImageSourceError {
  override name = 'ImageIntegrityError';
}
