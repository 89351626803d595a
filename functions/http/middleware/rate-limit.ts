// Applies the route's rate limit, if it has one, per credential (or per user behind a
// PAT or session), and adds the IETF RateLimit-Policy / RateLimit headers to the response.
// The slot is taken before the route runs, so that parallel requests can never exceed the
// limit; a request the route then refuses as malformed gives its slot back, so that typos do
// not spend the budget of someone trying the API out.
import type middy from '@middy/core';
import { RateLimitedError, type RateLimitDecision } from '#shared/errors.ts';
import { rateLimitSubject } from '#domain/identity/principal.ts';
import { isPublicRoute } from '../access.ts';
import { httpStatusOf } from '../error-status.ts';
import type { HttpRequest } from '../route.ts';

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${decision.policy}";q=${decision.limit};w=${decision.windowSeconds}`,
    RateLimit: `"${decision.policy}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

/** Refusals that mean "this request was not valid" (400, 413, 415): they cost no budget. */
const INVALID_REQUEST = new Set([400, 413, 415]);
const isInvalidRequest = (error: unknown) => INVALID_REQUEST.has(httpStatusOf(error) ?? 0);

export function rateLimit(): middy.MiddlewareObj {
  return {
    before: async (request) => {
      const { context } = request as HttpRequest;
      const { route, principal } = context.state;
      // A public route has no credential to limit (route.ts: PublicRoute).
      if (isPublicRoute(route!) || !route!.rateLimit) return;
      const { deps } = context.state;
      const grant = await deps.rateLimiter.consume(route!.rateLimit, rateLimitSubject(principal!), deps.now);
      if (!grant.allowed) {
        throw new RateLimitedError(`Rate limit exceeded: ${grant.limit} requests per ${grant.windowSeconds} s`, grant);
      }
      context.state.rateLimitGrant = grant;
      Object.assign(context.state.responseHeaders, rateLimitHeaders(grant));
    },
    onError: async (request) => {
      const { context, error } = request as HttpRequest;
      const grant = context.state?.rateLimitGrant;
      if (!grant?.acceptedAt || !isInvalidRequest(error)) return;
      const { route, principal, deps } = context.state;
      if (isPublicRoute(route!)) return;
      try {
        const refunded = await deps.rateLimiter.refund(route!.rateLimit!, rateLimitSubject(principal!), grant.acceptedAt, deps.now);
        Object.assign(context.state.responseHeaders, rateLimitHeaders(refunded));
      } catch {
        // A refund that fails costs the caller one slot; the answer stays the request's own 4xx.
      }
    },
  };
}
