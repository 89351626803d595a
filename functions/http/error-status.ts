// The HTTP status of each domain error code, in one place: the error handler answers with it,
// and the rate limit tells from it which refusals were the request's own fault.
import { DomainError } from '#shared/errors.ts';

const STATUS = {
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
} as const satisfies Record<string, number>;

/** Every code an error body may carry: the domain's, a body too large to send uncompressed, and the 500. */
export const ERROR_CODES = [...(Object.keys(STATUS) as (keyof typeof STATUS)[]), 'NOT_ACCEPTABLE', 'INTERNAL_ERROR'] as const;

/** The status a domain error is answered with; undefined for anything else (a 500). */
export function httpStatusOf(error: unknown): number | undefined {
  return error instanceof DomainError ? (STATUS as Record<string, number>)[error.code] : undefined;
}
