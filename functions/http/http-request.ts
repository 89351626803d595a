// Reading what a request carries: headers (case-insensitive), cookies, query and JSON bodies,
// with every malformed input turned into a clear 4xx domain error.
import { gunzipSync } from 'node:zlib';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type * as z from '#shared/validation.ts';
import { BadRequestError, PayloadTooLargeError, UnsupportedMediaTypeError, ValidationError } from '#shared/errors.ts';
import type { PresentedCredentials } from '#domain/identity/authenticate.ts';

export function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

function cookie(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const part of (header(event, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return percentDecoded(part.slice(eq + 1).trim());
  }
  return undefined;
}

/**
 * Cookie values may be %-encoded; one that is not validly so is taken as sent, which no session
 * token is, so it is refused as an invalid session (401) rather than failing the request.
 */
function percentDecoded(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function presentedCredentials(event: APIGatewayProxyEvent): PresentedCredentials {
  const authorization = header(event, 'authorization');
  const bearer = authorization?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  // A present but unusable Authorization decides alone, as a bad X-API-Key does.
  if (authorization !== undefined && bearer === undefined) return { malformedAuthorization: true };
  const apiKey = header(event, 'x-api-key');
  const session = cookie(event, 'next-auth.session-token') ?? cookie(event, '__Secure-next-auth.session-token');
  return {
    ...(apiKey !== undefined ? { apiKeyHeader: apiKey } : {}),
    ...(bearer !== undefined ? { bearerToken: bearer } : {}),
    ...(session !== undefined ? { sessionCookie: session } : {}),
  };
}

/**
 * The query as a null-prototype object: a parameter named `constructor`, `toString` or
 * `__proto__` is a key like any other, and a lookup of a parameter that was not sent never
 * finds something inherited from Object.prototype.
 */
export function queryParameters(event: APIGatewayProxyEvent): Record<string, string | undefined> {
  const multi = event.multiValueQueryStringParameters ?? {};
  for (const [name, values] of Object.entries(multi)) {
    if (values && values.length > 1)
      throw new ValidationError(`Query parameter ${name} given more than once`, [{ path: name, message: 'given more than once' }]);
  }
  const query: Record<string, string | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) query[name] = value;
  return query;
}

/**
 * Parses and validates a JSON body; zod issues become VALIDATION_ERROR with their paths.
 * A body that may take one of several shapes passes a function choosing the schema, so that
 * errors name the fields of the shape the caller meant rather than "no union member matched".
 */
export function jsonBody<T>(event: APIGatewayProxyEvent, schema: z.ZodMiniType<T> | ((parsed: unknown) => z.ZodMiniType<T>), maxBytes: number): T {
  const contentType = header(event, 'content-type');
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new UnsupportedMediaTypeError('Content-Type must be application/json');
  }
  if (event.body === null || event.body === undefined || event.body.length === 0) throw new BadRequestError('A JSON request body is required');
  let raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  const encoding = header(event, 'content-encoding')?.toLowerCase();
  if (encoding === 'gzip') {
    try {
      raw = gunzipSync(raw, { maxOutputLength: maxBytes + 1 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new PayloadTooLargeError(`Request body exceeds ${maxBytes} bytes`);
      throw new BadRequestError('Request body is not valid gzip');
    }
  } else if (encoding !== undefined && encoding !== 'identity') {
    throw new UnsupportedMediaTypeError('Content-Encoding must be gzip or identity');
  }
  if (raw.length > maxBytes) throw new PayloadTooLargeError(`Request body exceeds ${maxBytes} bytes`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadRequestError('Request body is not valid JSON');
  }
  return validated(typeof schema === 'function' ? schema(parsed) : schema, parsed);
}

/** Issues an error body reports, and the length of each path and message in it. */
const MAX_ISSUES = 50;
const MAX_ISSUE_TEXT = 256;

const clipped = (text: string) => (text.length > MAX_ISSUE_TEXT ? `${text.slice(0, MAX_ISSUE_TEXT - 1)}…` : text);

/**
 * Validates parsed JSON (a body, or an envelope read back from S3); the first zod issues become
 * VALIDATION_ERROR with their paths. Large lists in schemas stop collecting issues early
 * (shared/envelope/bounded-list.ts), so that an invalid 200,000-item list costs no
 * more than its first invalid items; paths and messages are clipped, as a key an attacker
 * chose may be megabytes long.
 */
export function validated<T>(schema: z.ZodMiniType<T>, parsed: unknown): T {
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => ({
      path: clipped(issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(body)'),
      message: clipped(issue.message),
    }));
    throw new ValidationError(`Invalid request body: ${issues.map((i) => i.path).join(', ')}`, issues);
  }
  return result.data;
}
