// Picks the route for the request's method and API Gateway resource; 404/405 otherwise.
import type middy from '@middy/core';
import { MethodNotAllowedError, NotFoundError } from '#shared/errors.ts';
import type { ApiDependencies } from '../../composition/api.ts';
import type { AnyRoute, HttpRequest } from '../route.ts';

export function routeMatcher(routes: readonly AnyRoute[], deps: () => ApiDependencies): middy.MiddlewareObj {
  return {
    before: (request) => {
      const { event, context } = request as HttpRequest;
      // The adapters on first read, not here: a public route needs none, and its function may have
      // no table to build them for (infra/route-access.ts).
      context.state = {
        get deps() {
          return deps();
        },
        responseHeaders: {},
      };
      const forResource = routes.filter((route) => route.resource === event.resource);
      if (forResource.length === 0) throw new NotFoundError(`No route for ${event.path}`);
      const route = forResource.find((candidate) => candidate.method === event.httpMethod);
      if (!route)
        throw new MethodNotAllowedError(
          `${event.httpMethod} is not allowed on ${event.resource}`,
          forResource.map((r) => r.method),
        );
      context.state.route = route;
    },
  };
}
