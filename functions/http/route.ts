// A route: method + API Gateway resource, who may call it, its rate limit, its documentation
// (route-doc.ts, which the meta group turns into the OpenAPI document) and its core.
// `httpHandler` turns a route group into one Lambda handler, with authentication, rate
// limiting, error mapping and request logging applied as middy middleware.
import middy from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { Principal } from '#domain/identity/principal.ts';
import type { RateLimitGrant, RateLimitPolicy } from '#domain/rate-limit/rate-limiter.ts';
import { isPublicRoute, isSelfVerified, type CredentialAccess, type PublicAccess, type SelfVerifiedAccess } from './access.ts';
import { apiDependencies, type ApiDependencies } from '../composition/api.ts';
import { authentication } from './middleware/authentication.ts';
import { errorHandler } from './middleware/error-handler.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { requestLog } from './middleware/request-log.ts';
import { responseCompression } from './middleware/response-compression.ts';
import { routeMatcher } from './middleware/route-matcher.ts';
import type { RouteDoc } from './route-doc.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteContext {
  event: APIGatewayProxyEvent;
  principal: Principal;
  deps: ApiDependencies;
  /** How long this invocation may still run before the Lambda times out. */
  remainingTimeMs: () => number;
}

/** What a public route gets: no principal, as nobody authenticated, and no adapters, so that it can run in a function that may touch nothing. */
export type PublicRouteContext = Omit<RouteContext, 'principal' | 'deps'>;

interface RouteBase {
  method: HttpMethod;
  /** The API Gateway resource path, e.g. /api/scans/{scanId}. */
  resource: string;
  /** Required: a route without it does not compile, and the OpenAPI document describes it. */
  doc: RouteDoc;
}

/** A route that authenticates its caller: the common case. */
export interface Route extends RouteBase {
  /** Required: a route without it does not compile, and the auth matrix calls it with every credential. */
  access: CredentialAccess;
  /** Per credential (per user behind a PAT or session). */
  rateLimit?: RateLimitPolicy;
  handle(context: RouteContext): Promise<APIGatewayProxyResult>;
}

/** A route anyone may call. Not rate limited per credential, as it has none; API Gateway's stage throttling covers it. */
export interface PublicRoute extends RouteBase {
  access: PublicAccess;
  handle(context: PublicRouteContext): Promise<APIGatewayProxyResult>;
}

/** A route that verifies its caller itself (access.ts: SelfVerifiedAccess): the adapters, no principal; API Gateway's throttling and its own limits cover it. */
export interface SelfVerifiedRoute extends RouteBase {
  access: SelfVerifiedAccess;
  handle(context: Omit<RouteContext, 'principal'>): Promise<APIGatewayProxyResult>;
}

/** Any kind, as route groups list them. */
export type AnyRoute = Route | PublicRoute | SelfVerifiedRoute;

const isSelfVerifiedRoute = (route: AnyRoute): route is SelfVerifiedRoute => isSelfVerified(route.access);

/** What the middlewares share about the request in flight. */
export interface RequestState {
  route?: AnyRoute;
  /** Set by authentication; never for a public route. */
  principal?: Principal;
  /** The slot the route's rate limit gave this request, refunded if the request is malformed. */
  rateLimitGrant?: RateLimitGrant;
  /** Built on first read (route-matcher.ts): a public route reads none. */
  readonly deps: ApiDependencies;
  responseHeaders: Record<string, string>;
}

export type HttpRequest = middy.Request<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context & { state: RequestState }>;

export function httpHandler(routes: readonly AnyRoute[], deps: () => ApiDependencies = apiDependencies) {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context & { state: RequestState }>()
    .use(requestLog())
    .use(responseCompression())
    .use(errorHandler())
    .use(routeMatcher(routes, deps))
    .use(authentication())
    .use(rateLimit())
    .handler(async (event, context) => {
      const { principal, responseHeaders } = context.state;
      const route = context.state.route!;
      const remainingTimeMs = () => context.getRemainingTimeInMillis();
      const response = isSelfVerifiedRoute(route)
        ? await route.handle({ event, deps: context.state.deps, remainingTimeMs })
        : isPublicRoute(route)
          ? await route.handle({ event, remainingTimeMs })
          : await route.handle({ event, principal: principal!, deps: context.state.deps, remainingTimeMs });
      return { ...response, headers: { ...responseHeaders, ...response.headers } };
    });
}
