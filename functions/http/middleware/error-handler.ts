// Maps every error to the documented error body. Domain errors keep their message;
// anything unexpected becomes a 500 INTERNAL_ERROR whose body reveals nothing.
import type middy from '@middy/core';
import { DomainError, MethodNotAllowedError, RateLimitedError, ValidationError } from '#domain/errors.ts';
import { errorBody, json } from '../http-response.ts';
import type { HttpRequest } from '../route.ts';
import { rateLimitHeaders } from './rate-limit.ts';

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

export function errorHandler(): middy.MiddlewareObj {
  return {
    onError: (request) => {
      const { error, context } = request as HttpRequest;
      // Headers already earned, such as RateLimit after a counted request, stay on the error.
      const earned = context.state?.responseHeaders ?? {};
      if (error instanceof DomainError && STATUS[error.code]) {
        const headers: Record<string, string> = { ...earned };
        if (error instanceof RateLimitedError) {
          Object.assign(headers, rateLimitHeaders(error.decision), { 'Retry-After': String(error.decision.resetSeconds) });
        }
        if (error instanceof MethodNotAllowedError) headers.Allow = error.allowed.join(', ');
        if (error.code === 'UNAUTHORIZED') headers['WWW-Authenticate'] = 'Bearer realm="harborguard"';
        request.response = json(STATUS[error.code]!, errorBody(error.code, error.message, error instanceof ValidationError ? error.issues : undefined), headers);
        return;
      }
      request.response = json(500, errorBody('INTERNAL_ERROR', 'An internal error occurred'));
    },
  };
}
