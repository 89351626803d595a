// A node:http server that plays API Gateway (REST, v1 proxy integration): it matches the
// request to a route group's resource template, builds the proxy event and invokes the
// same handler module Lambda runs.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { RouteGroup } from '../functions/http/route-groups.ts';
import { logger } from '../shared/logging/logger.ts';

type LambdaHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

export interface MountedGroup {
  group: RouteGroup;
  handler: LambdaHandler;
}

/** API Gateway's own limit on a request payload. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;

interface CompiledResource {
  resource: string;
  pattern: RegExp;
  params: string[];
  /** Static segments win over {params}, as in API Gateway. */
  specificity: number;
  handler: LambdaHandler;
}

function compile(mounted: MountedGroup[]): CompiledResource[] {
  const seen = new Map<string, CompiledResource>();
  for (const { group, handler } of mounted) {
    for (const route of group.routes) {
      if (seen.has(route.resource)) continue;
      const params: string[] = [];
      const segments = route.resource.split('/').filter(Boolean);
      const pattern = segments
        .map((segment) => {
          const param = /^\{(\w+)\}$/.exec(segment);
          if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          params.push(param[1]!);
          return '([^/]+)';
        })
        .join('/');
      seen.set(route.resource, {
        resource: route.resource,
        pattern: new RegExp(`^/${pattern}/?$`),
        params,
        specificity: segments.filter((s) => !s.startsWith('{')).length,
        handler,
      });
    }
  }
  return [...seen.values()].sort((a, b) => b.specificity - a.specificity);
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_REQUEST_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Name → value maps of what the client sent, with no prototype: a header or parameter named
 * `__proto__`, `constructor` or `toString` is an entry like any other (API Gateway's event is
 * JSON, where such names are plain keys), never an inherited member.
 */
function entries<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/** A path segment as API Gateway hands it to the integration: %-decoded, or undefined when it is not validly encoded. */
function decodedSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function toEvent(request: IncomingMessage, url: URL, match: CompiledResource, pathParameters: Record<string, string>, body: Buffer): APIGatewayProxyEvent {
  const headers = entries<string>();
  const multiValueHeaders = entries<string[]>();
  for (let i = 0; i < request.rawHeaders.length; i += 2) {
    const name = request.rawHeaders[i]!;
    const value = request.rawHeaders[i + 1]!;
    headers[name] = value;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = entries<string>();
  const multiQuery = entries<string[]>();
  for (const [name, value] of url.searchParams) {
    query[name] = value;
    (multiQuery[name] ??= []).push(value);
  }
  const contentType = headers['content-type'] ?? headers['Content-Type'] ?? '';
  // Like a REST API with binary media types: text bodies pass as strings, the rest as base64.
  const isText = /^(application\/json|text\/)/i.test(contentType) && !request.headers['content-encoding'];
  const requestId = randomUUID();
  return {
    resource: match.resource,
    path: url.pathname,
    httpMethod: request.method ?? 'GET',
    headers,
    multiValueHeaders,
    queryStringParameters: Object.keys(query).length > 0 ? query : null,
    multiValueQueryStringParameters: Object.keys(multiQuery).length > 0 ? multiQuery : null,
    pathParameters: match.params.length > 0 ? pathParameters : null,
    stageVariables: null,
    body: body.length === 0 ? null : isText ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !isText,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: null,
      protocol: `HTTP/${request.httpVersion}`,
      httpMethod: request.method ?? 'GET',
      identity: {
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: request.headers['user-agent'] ?? null,
      } as APIGatewayProxyEvent['requestContext']['identity'],
      path: url.pathname,
      stage: 'local',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: match.resource,
    },
  };
}

/** API Gateway's integration timeout; HG_LOCAL_LAMBDA_TIMEOUT_SECONDS raises it (slow local engines). */
const timeoutMs = () => Number(process.env.HG_LOCAL_LAMBDA_TIMEOUT_SECONDS ?? 29) * 1000;

function lambdaContext(requestId: string): Context {
  const deadline = Date.now() + timeoutMs();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'harborguard-local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:harborguard-local',
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: 'local',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** The request target as a URL; `//x/y` stays a path rather than naming another authority. */
function requestUrl(target: string): URL | undefined {
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target, 'http://localhost');
  } catch {
    return undefined;
  }
}

const errorJson = (code: string, message: string) => JSON.stringify({ error: { code, message } });

export function createApiGatewayServer(mounted: MountedGroup[]): Server {
  const resources = compile(mounted);
  const answer = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    try {
      const url = requestUrl(request.url ?? '/');
      if (!url) {
        response.writeHead(400, { 'Content-Type': 'application/json' }).end(errorJson('BAD_REQUEST', 'The request target is not a valid URL'));
        return;
      }
      const body = await readBody(request);
      if (body === 'too-large') {
        response.writeHead(413, { 'Content-Type': 'application/json' }).end(errorJson('PAYLOAD_TOO_LARGE', 'Request body exceeds 10 MB'));
        return;
      }
      let values: string[] | undefined;
      const match = resources.find((candidate) => (values = candidate.pattern.exec(url.pathname)?.slice(1)) !== undefined);
      if (!match || !values) {
        response.writeHead(404, { 'Content-Type': 'application/json' }).end(errorJson('NOT_FOUND', `No route for ${url.pathname}`));
        return;
      }
      const pathParameters = entries<string>();
      for (const [i, name] of match.params.entries()) {
        const value = decodedSegment(values[i]!);
        if (value === undefined) {
          response.writeHead(400, { 'Content-Type': 'application/json' }).end(errorJson('BAD_REQUEST', 'The request path is not validly %-encoded'));
          return;
        }
        pathParameters[name] = value;
      }
      const event = toEvent(request, url, match, pathParameters, body);
      const result = await match.handler(event, lambdaContext(event.requestContext.requestId));
      const headers: Record<string, string | string[]> = {
        ...(result.headers as Record<string, string>),
        ...(result.multiValueHeaders as Record<string, string[]>),
      };
      response.writeHead(result.statusCode, headers);
      response.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
    } catch (error) {
      // What API Gateway answers when the integration fails.
      logger.error('local api gateway: the handler failed', { error: error as Error });
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'application/json' });
      response.end(errorJson('INTERNAL_ERROR', 'Internal server error'));
    }
  };
  // answer() turns a handler's failure into a 502; should even that fail, the connection is dropped.
  return createServer((request, response) => void answer(request, response).catch(() => response.destroy()));
}
