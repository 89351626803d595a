// Maps every error to the documented error body. Domain errors keep their message;
// anything unexpected becomes a 500 INTERNAL_ERROR whose body reveals nothing.
import type middy from '@middy/core';
import { DomainError, MethodNotAllowedError, RateLimitedError, ValidationError } from '#shared/errors.ts';
import { errorBody, json } from '../http-response.ts';
import type { HttpRequest } from '../route.ts';
import { rateLimitHeaders } from './rate-limit.ts';
import { httpStatusOf } from '../error-status.ts';

export function errorHandler(): middy.MiddlewareObj {
  return {
    onError: (request) => {
      const { error, context } = request as HttpRequest;
      // Headers already earned, such as RateLimit after a counted request, stay on the error.
      const earned = context.state?.responseHeaders ?? {};
      const status = httpStatusOf(error);
      if (error instanceof DomainError && status !== undefined) {
        const headers: Record<string, string> = { ...earned };
        if (error instanceof RateLimitedError) {
          Object.assign(headers, rateLimitHeaders(error.decision), { 'Retry-After': String(error.decision.resetSeconds) });
        }
        if (error instanceof MethodNotAllowedError) headers.Allow = error.allowed.join(', ');
        if (error.code === 'UNAUTHORIZED') headers['WWW-Authenticate'] = 'Bearer realm="harborguard"';
        request.response = json(status, errorBody(error.code, error.message, error instanceof ValidationError ? error.issues : undefined), headers);
        return;
      }
      request.response = json(500, errorBody('INTERNAL_ERROR', 'An internal error occurred'));
    },
  };
}
