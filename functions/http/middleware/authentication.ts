// Authenticates the caller and checks the route's declared access (access.ts) before the route runs.
// Failed authentications are limited per source address (AUTHENTICATION_FAILURES): a source
// whose window is full is refused with 429 before its credential is even looked up, so that
// guessing is slowed down; other sources, and every credential's own budget, are untouched.
import type middy from '@middy/core';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { authenticate } from '#domain/identity/authenticate.ts';
import { ForbiddenError, RateLimitedError, UnauthorizedError } from '#shared/errors.ts';
import type { Principal } from '#domain/identity/principal.ts';
import { AUTHENTICATION_FAILURES } from '#domain/rate-limit/rate-limiter.ts';
import { sourceSubject } from '#domain/rate-limit/source-subject.ts';
import { accessRefusal, isPublicRoute } from '../access.ts';
import { presentedCredentials } from '../http-request.ts';
import type { HttpRequest, RequestState } from '../route.ts';
import { rateLimitHeaders } from './rate-limit.ts';

const TOO_MANY_FAILURES = 'Too many failed authentications from this address; try again later';

async function authenticateFromSource(event: APIGatewayProxyEvent, state: RequestState): Promise<Principal> {
  const { deps } = state;
  const presented = presentedCredentials(event);
  // Nothing presented is nothing guessed: answered 401 without a lookup, and not counted.
  if (Object.keys(presented).length === 0) return authenticate(presented, deps);
  const source = sourceSubject(event.requestContext?.identity?.sourceIp);
  const standing = await deps.rateLimiter.peek(AUTHENTICATION_FAILURES, source, deps.now);
  if (!standing.allowed) throw new RateLimitedError(TOO_MANY_FAILURES, standing);
  try {
    return await authenticate(presented, deps);
  } catch (error) {
    if (!(error instanceof UnauthorizedError)) throw error;
    // Counted exactly: of parallel failures racing for the last slots, the losers get 429.
    const counted = await deps.rateLimiter.consume(AUTHENTICATION_FAILURES, source, deps.now);
    if (!counted.allowed) throw new RateLimitedError(TOO_MANY_FAILURES, counted);
    Object.assign(state.responseHeaders, rateLimitHeaders(counted));
    throw error;
  }
}

export function authentication(): middy.MiddlewareObj {
  return {
    before: async (request) => {
      const { event, context } = request as HttpRequest;
      const route = context.state.route!;
      // A credential sent to a public route is not even looked up (access.ts: PublicAccess).
      if (isPublicRoute(route)) return;
      const principal = await authenticateFromSource(event, context.state);
      const refusal = accessRefusal(route.access, principal);
      if (refusal !== undefined) throw new ForbiddenError(refusal);
      // The gateway's view of the caller's address (never a client-set header): for the audit log.
      const sourceIp = event.requestContext?.identity?.sourceIp;
      context.state.principal = sourceIp ? { ...principal, sourceIp } : principal;
    },
  };
}
