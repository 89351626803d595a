// Turns what went wrong in a scan into the failure code users see on the scan.
import type { FailureCode } from '#domain/scans/scan.ts';
import { AuthRequiredError, ImageIntegrityError, ImageNotFoundError, ImageSourceError } from '../image/image-errors.ts';

export function failureCodeOf(error: unknown): FailureCode {
  if (error instanceof ImageNotFoundError) return /platform/i.test(error.message) ? 'UNSUPPORTED_PLATFORM' : 'IMAGE_NOT_FOUND';
  if (error instanceof AuthRequiredError) return 'REGISTRY_AUTH_REQUIRED';
  if (error instanceof ImageIntegrityError) return 'INVALID_IMAGE';
  if (error instanceof ImageSourceError) return /platform/i.test(error.message) ? 'UNSUPPORTED_PLATFORM' : 'INVALID_IMAGE';
  return 'SCANNER_CRASHED';
}
