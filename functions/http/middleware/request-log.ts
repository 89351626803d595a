// One structured log line per request (shared/logging/logger.ts): route, status, latency, caller
// ids, the Lambda and API Gateway request ids; for a 5xx the error with its stack. Never headers
// or bodies, and the logger redacts any credential that an error message might still carry.
import type middy from '@middy/core';
import { logger } from '#shared/logging/logger.ts';
import type { HttpRequest } from '../route.ts';

export function requestLog(): middy.MiddlewareObj {
  const started = new WeakMap<object, number>();
  const write = (request: middy.Request, failure?: Error) => {
    const { event, context, response } = request as HttpRequest;
    const principal = context.state?.principal;
    const status = response?.statusCode ?? 500;
    const fields = {
      method: event.httpMethod,
      resource: event.resource,
      status,
      ms: Date.now() - (started.get(request) ?? Date.now()),
      orgId: principal?.orgId,
      credentialId: principal?.credentialId,
    };
    if (status >= 500) logger.error('request', { ...fields, ...(failure ? { error: failure } : {}) });
    else logger.info('request', fields);
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
      const { event, context } = request as HttpRequest;
      // One container serves many requests: the keys of the last one must not leak into this one's lines.
      logger.resetKeys();
      logger.addContext(context);
      logger.appendKeys({ requestId: event.requestContext?.requestId });
    },
    after: (request) => write(request),
    onError: (request) => write(request, request.error ?? undefined),
  };
}
