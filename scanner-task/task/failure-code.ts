// Turns what went wrong in a scan into the failure code users see on the scan.
import type { FailureCode } from '#shared/scans/scan-contract.ts';
import { EgressDeniedError } from '#shared/egress/egress-fetch.ts';
import { AuthRequiredError, ImageIntegrityError, ImageNotFoundError, ImageSourceError, ImageTooLargeError, RegistryUnreachableError } from '../image/image-errors.ts';

export function failureCodeOf(error: unknown): FailureCode {
  if (error instanceof ImageNotFoundError) return /platform/i.test(error.message) ? 'UNSUPPORTED_PLATFORM' : 'IMAGE_NOT_FOUND';
  if (error instanceof AuthRequiredError) return 'REGISTRY_AUTH_REQUIRED';
  if (error instanceof RegistryUnreachableError) return 'REGISTRY_UNREACHABLE';
  if (error instanceof EgressDeniedError) return 'EGRESS_DENIED';
  if (error instanceof ImageTooLargeError) return 'IMAGE_TOO_LARGE';
  if (error instanceof ImageIntegrityError) return 'INVALID_IMAGE';
  if (error instanceof ImageSourceError) return /platform/i.test(error.message) ? 'UNSUPPORTED_PLATFORM' : 'INVALID_IMAGE';
  return 'SCANNER_CRASHED';
}
