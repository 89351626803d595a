// The HTTP status of each domain error code, in one place: the error handler answers with it,
// and the rate limit tells from it which refusals were the request's own fault.
import { DomainError } from '#shared/errors.ts';

const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
};

/** The status a domain error is answered with; undefined for anything else (a 500). */
export function httpStatusOf(error: unknown): number | undefined {
  return error instanceof DomainError ? STATUS[error.code] : undefined;
}
