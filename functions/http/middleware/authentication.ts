// Authenticates the caller and checks the route's access rule before the route runs.
import type middy from '@middy/core';
import { authenticate } from '#domain/identity/authenticate.ts';
import { ForbiddenError } from '#domain/errors.ts';
import { hasRole } from '#domain/identity/roles.ts';
import { presentedCredentials } from '../http-request.ts';
import type { HttpRequest } from '../route.ts';

export function authentication(): middy.MiddlewareObj {
  return {
    before: async (request) => {
      const { event, context } = request as HttpRequest;
      const { route, deps } = context.state;
      const principal = await authenticate(presentedCredentials(event), deps);
      const access = route!.access;
      if ('sensorKeys' in access) {
        if (principal.kind !== 'api_key' || !principal.sensor) {
          throw new ForbiddenError('This endpoint accepts only sensor-scoped API keys');
        }
      } else {
        if (principal.sensor) throw new ForbiddenError('A sensor key may only upload scan envelopes');
        if (access.users === 'only' && !principal.userId) {
          throw new ForbiddenError('This endpoint needs a user (personal access token or session), not an API key');
        }
        if (!hasRole(principal.role, access.minRole)) {
          throw new ForbiddenError(`This action requires the ${access.minRole} role`);
        }
      }
      // The gateway's view of the caller's address (never a client-set header): for the audit log.
      const sourceIp = event.requestContext?.identity?.sourceIp;
      context.state.principal = sourceIp ? { ...principal, sourceIp } : principal;
    },
  };
}
