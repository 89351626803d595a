// Applies the route's rate limit, if it has one, per credential (or per user behind a
// PAT or session), and adds the IETF RateLimit-Policy / RateLimit headers to the response.
import type middy from '@middy/core';
import { RateLimitedError, type RateLimitDecision } from '#domain/errors.ts';
import { rateLimitSubject } from '#domain/identity/principal.ts';
import type { HttpRequest } from '../route.ts';

export function rateLimitHeaders(decision: RateLimitDecision): Record<string, string> {
  return {
    'RateLimit-Policy': `"${decision.policy}";q=${decision.limit};w=${decision.windowSeconds}`,
    RateLimit: `"${decision.policy}";r=${decision.remaining};t=${decision.resetSeconds}`,
  };
}

export function rateLimit(): middy.MiddlewareObj {
  return {
    before: async (request) => {
      const { context } = request as HttpRequest;
      const { route, principal, deps } = context.state;
      if (!route!.rateLimit) return;
      const decision = await deps.rateLimiter.consume(route!.rateLimit, rateLimitSubject(principal!), deps.now);
      if (!decision.allowed) {
        throw new RateLimitedError(`Rate limit exceeded: ${decision.limit} requests per ${decision.windowSeconds} s`, decision);
      }
      Object.assign(context.state.responseHeaders, rateLimitHeaders(decision));
    },
  };
}
