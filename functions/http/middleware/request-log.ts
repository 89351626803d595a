// One structured JSON log line per request: route, status, latency, caller ids.
// Never headers or bodies, so no key, token or cookie can reach the logs.
import type middy from '@middy/core';
import type { HttpRequest } from '../route.ts';

export function requestLog(): middy.MiddlewareObj {
  const started = new WeakMap<object, number>();
  const write = (request: middy.Request, failure?: Error) => {
    const { event, context, response } = request as HttpRequest;
    if (process.env.HG_LOG_REQUESTS === 'off') return;
    const principal = context.state?.principal;
    const line = {
      level: (response?.statusCode ?? 500) >= 500 ? 'error' : 'info',
      msg: 'request',
      method: event.httpMethod,
      resource: event.resource,
      status: response?.statusCode ?? 500,
      ms: Date.now() - (started.get(request) ?? Date.now()),
      requestId: event.requestContext?.requestId,
      orgId: principal?.orgId,
      credentialId: principal?.credentialId,
      ...(failure && (response?.statusCode ?? 500) >= 500 ? { error: failure.name, detail: failure.message } : {}),
    };
    process.stdout.write(JSON.stringify(line) + '\n');
  };
  return {
    before: (request) => {
      started.set(request, Date.now());
    },
    after: (request) => write(request),
    onError: (request) => write(request, request.error ?? undefined),
  };
}
