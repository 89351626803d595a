// A route: method + API Gateway resource, who may call it, its rate limit, and its core.
// `httpHandler` turns a route group into one Lambda handler, with authentication, rate
// limiting, error mapping and request logging applied as middy middleware.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Principal } from '#domain/identity/principal.ts';
import type { RateLimitGrant, RateLimitPolicy } from '#domain/rate-limit/rate-limiter.ts';
import type { Access } from './access.ts';
import { apiDependencies, type ApiDependencies } from '../composition/api.ts';
import { authentication } from './middleware/authentication.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { responseCompression } from './middleware/response-compression.ts';
import { routeMatcher } from './middleware/route-matcher.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  event: APIGatewayProxyEvent;
  principal: Principal;
  deps: ApiDependencies;
  /** How long this invocation may still run before the Lambda times out. */
  remainingTimeMs: () => number;
}

export interface Route {
  method: HttpMethod;
  /** The API Gateway resource path, e.g. /api/scans/{scanId}. */
  resource: string;
  /** Required: a route without it does not compile, and the auth matrix calls it with every credential. */
  access: Access;
  rateLimit?: RateLimitPolicy;
  handle(context: RouteContext): Promise<APIGatewayProxyResult>;
}

/** What the middlewares share about the request in flight. */
export interface RequestState {
  route?: Route;
  principal?: Principal;
  /** The slot the route's rate limit gave this request, refunded if the request is malformed. */
  rateLimitGrant?: RateLimitGrant;
  deps: ApiDependencies;
  responseHeaders: Record<string, string>;
}

export type HttpRequest = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context & { state: RequestState }>;

export function httpHandler(routes: Route[], deps: () => ApiDependencies = apiDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context & { state: RequestState }>()
    .use(requestLog())
    .use(responseCompression())
    .use(errorHandler())
    .use(routeMatcher(routes, deps))
    .use(authentication())
    .use(rateLimit())
    .handler(async (event, context) => {
      const { route, principal, deps: resolved, responseHeaders } = context.state;
      const response = await route!.handle({ event, principal: principal!, deps: resolved, remainingTimeMs: () => context.getRemainingTimeInMillis() });
      return { ...response, headers: { ...responseHeaders, ...response.headers } };
    });
}
