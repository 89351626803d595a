// Turns what went wrong in a scan into the failure code users see on the scan.
import type { FailureCode } from '#shared/scans/scan-contract.ts';
import { EgressDeniedError } from '#shared/egress/egress-fetch.ts';
import {
  AuthRequiredError,
  ImageIntegrityError,
  ImageNotFoundError,
  ImageSourceError,
  ImageTooLargeError,
  RegistryUnreachableError,
  UnsupportedPlatformError,
} from '#shared/registry/image-errors.ts';

export function failureCodeOf(error: unknown): FailureCode {
  // By class, never by message: an image named "platform-api" that is not found is IMAGE_NOT_FOUND.
  if (error instanceof UnsupportedPlatformError) return 'UNSUPPORTED_PLATFORM';
  if (error instanceof ImageNotFoundError) return 'IMAGE_NOT_FOUND';
  if (error instanceof AuthRequiredError) return 'REGISTRY_AUTH_REQUIRED';
  if (error instanceof RegistryUnreachableError) return 'REGISTRY_UNREACHABLE';
  if (error instanceof EgressDeniedError) return 'EGRESS_DENIED';
  if (error instanceof ImageTooLargeError) return 'IMAGE_TOO_LARGE';
  if (error instanceof ImageIntegrityError) return 'INVALID_IMAGE';
  if (error instanceof ImageSourceError) return 'INVALID_IMAGE';
  return 'SCANNER_CRASHED';
}
