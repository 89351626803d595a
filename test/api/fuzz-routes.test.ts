// Property-based fuzzing of every route through the local API Gateway: arbitrary path
// parameters, query parameters, headers (prototype names included), cookies, credentials and
// bodies. Whatever arrives, the answer is never a 5xx, and every error is the documented body
// {"error":{"code","message","issues"?}} with a documented code and nothing of a stack trace.
// Routes come from the route groups, so a new route is fuzzed without touching this file.
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_GROUPS } from '../../functions/http/route-groups.ts';
import type { AnyRoute } from '../../functions/http/route.ts';
import { authHeaders, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

/** Runs per route: ~30 routes × this many requests keeps the file within a minute on 2 cores. */
const RUNS_PER_ROUTE = 25;

const DOCUMENTED_ERRORS: Record<string, number> = {
  BAD_REQUEST: 400,
  VALIDATION_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  NOT_ACCEPTABLE: 406,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE: 422,
  RATE_LIMITED: 429,
};

let stack: TestStack;
let org: SeededOrg;

beforeAll(async () => {
  stack = await startTestStack();
  org = await seedOrganization('fuzz');
});
afterAll(() => stack?.close());

const ROUTES: AnyRoute[] = ROUTE_GROUPS.flatMap((group) => group.routes);

interface Sent {
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body?: string;
}

interface Answer {
  status: number;
  text: string;
}

/** node:http rather than fetch: it sends repeated and oddly named headers as given. */
function send({ method, path, headers, body }: Sent): Promise<Answer> {
  const url = new URL(stack.baseUrl);
  return new Promise((resolve, reject) => {
    // A raw header list gets no Host from node:http; HTTP/1.1 requires one.
    const flat = [['Host', url.host], ...headers].flat();
    const request = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: body === undefined ? flat : [...flat, 'Content-Length', String(Buffer.byteLength(body))] },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

function expectDocumentedAnswer(sent: Sent, answer: Answer): void {
  const context = `${sent.method} ${sent.path} → ${answer.status} ${answer.text.slice(0, 300)}`;
  expect(answer.status, context).toBeLessThan(500);
  expect(answer.text, context).not.toMatch(/\bat .+\.[jt]s:\d+|TypeError|RangeError|ReferenceError/);
  if (answer.status < 400) return;
  const body = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown; issues?: unknown } };
  expect(Object.keys(body), context).toEqual(['error']);
  const { code, message, issues } = body.error ?? {};
  expect(typeof code === 'string' && DOCUMENTED_ERRORS[code], context).toBe(answer.status);
  expect(typeof message, context).toBe('string');
  if (issues !== undefined) {
    expect(Array.isArray(issues), context).toBe(true);
    for (const issue of issues as Array<Record<string, unknown>>) expect(Object.keys(issue).sort(), context).toEqual(['message', 'path']);
  }
}

/** Names that are members of every plain object: a lookup by user-chosen name must not find them. */
const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__'];

const segment = fc.oneof(
  fc.constantFrom(
    ...PROTOTYPE_NAMES,
    '%',
    '%zz',
    '%E0%A4%A',
    '%C0%AF',
    '..',
    '%2e%2e',
    '%2F',
    'scn-abc123',
    'fnd-abc.0123456789abcdef0123',
    'ghcr.io',
    'x'.repeat(3000),
  ),
  fc
    .string({ unit: 'grapheme', maxLength: 40 })
    .filter((s) => s.length > 0)
    .map(encodeURIComponent),
);

const queryName = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES, 'page', 'limit', 'sort', 'status', 'search', 'format', 'severity', 'type', 'cursor'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const query = fc
  .array(fc.tuple(queryName, fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('%', '%zz', '0', '-1', '1e9', 'asc', 'scannedAt:desc', 'COMPLETE'))), {
    maxLength: 4,
  })
  .map((pairs) => {
    // Raw, sometimes not validly %-encoded: URLSearchParams would repair what a client may not.
    const raw = pairs.map(([name, value], i) =>
      i % 2 === 0 ? `${encodeURIComponent(name)}=${encodeURIComponent(value)}` : `${name.replace(/[^\x21-\x7e]/g, '')}=${value.replace(/[^\x21-\x7e]/g, '')}`,
    );
    return raw.length > 0 ? `?${raw.join('&')}` : '';
  });

/** Header values a client can put on the wire: visible ASCII and spaces, no CR/LF. */
const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[^\x20-\x7e]/g, '').trim()),
  fc.constantFrom('gzip', 'br', 'identity', 'application/json', 'text/plain', 'Bearer', 'Bearer ', 'Bearer hg_pat_x', 'hg_ak_', '%zz', '=', ';;;'),
);
const headerName = fc.oneof(
  fc.constantFrom(
    ...PROTOTYPE_NAMES,
    'Cookie',
    'Authorization',
    'X-API-Key',
    'Content-Type',
    'Content-Encoding',
    'Accept-Encoding',
    'Idempotency-Key',
    'cookie',
    'AUTHORIZATION',
  ),
  fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,20}$/),
);
const extraHeaders = fc.array(fc.tuple(headerName, headerValue), { maxLength: 4 });

const cookie = fc.oneof(
  fc.constantFrom(
    'next-auth.session-token=%zz',
    'next-auth.session-token=%E0%A4%A',
    'next-auth.session-token=',
    'next-auth.session-token',
    '=; ;=;',
    '__Secure-next-auth.session-token=%',
    'a=%; next-auth.session-token=x.y.z',
    `next-auth.session-token=${'%41'.repeat(3000)}`,
  ),
  fc.string({ maxLength: 60 }).map((s) => `next-auth.session-token=${s.replace(/[^\x20-\x7e]/g, '').replace(/;/g, '')}`),
);

const fieldName = fc.constantFrom(
  ...PROTOTYPE_NAMES,
  'image',
  'scans',
  'scanners',
  'name',
  'role',
  'sensor',
  'expiresAt',
  'email',
  'status',
  'assignee',
  'note',
  'username',
  'password',
  'allowPlainHttp',
  'envelopeS3Key',
  'scanId',
  'scanner',
  'stage',
  'percent',
  'code',
  'reason',
  'scan',
  'vulnerabilities',
  'packages',
  'layers',
  'CRITICAL',
  'HIGH',
  'MEDIUM',
  'LOW',
);
const body = fc.oneof(
  fc.dictionary(fieldName, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }).map((value) => JSON.stringify(value)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 80 }),
  fc.constantFrom('{"__proto__":{"isAdmin":true}}', '{"constructor":{"prototype":{}}}', '[]', 'null', '{', '\u0000', '{"image":"nginx","image":"x"}'),
);
const contentType = fc.constantFrom<string | undefined>(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  undefined,
);

describe.each(ROUTES.map((route) => [`${route.method} ${route.resource}`, route] as const))('%s', (_name, route) => {
  const credentials = (): Credential[] => [
    { kind: 'none' },
    { kind: 'x-api-key', value: org.apiKeys.admin },
    { kind: 'x-api-key', value: org.sensorKey },
    { kind: 'bearer', value: org.pats.developer },
    { kind: 'cookie', value: org.sessions.admin },
    { kind: 'x-api-key', value: 'hg_ak_%zz' },
  ];

  it(`answers arbitrary requests without a 5xx, with the documented error body (${RUNS_PER_ROUTE} runs)`, { timeout: 120_000 }, async () => {
    const params = route.resource.match(/\{\w+\}/g) ?? [];
    await fc.assert(
      fc.asyncProperty(
        fc.tuple(...params.map(() => segment)),
        query,
        fc.nat({ max: 5 }),
        fc.option(cookie, { nil: undefined }),
        extraHeaders,
        fc.option(body, { nil: undefined }),
        contentType,
        async (values, search, credentialIndex, sessionCookie, headers, payload, type) => {
          let path = route.resource;
          params.forEach((param, i) => (path = path.replace(param, values[i]!)));
          const sent: Sent = {
            method: route.method,
            path: path + search,
            headers: [
              ...Object.entries(authHeaders(credentials()[credentialIndex]!)),
              ...(sessionCookie !== undefined ? [['Cookie', sessionCookie] as [string, string]] : []),
              ...(type !== undefined && payload !== undefined ? [['Content-Type', type] as [string, string]] : []),
              ...headers,
            ],
            ...(payload !== undefined && route.method !== 'GET' ? { body: payload } : {}),
          };
          expectDocumentedAnswer(sent, await send(sent));
        },
      ),
      { numRuns: RUNS_PER_ROUTE },
    );
  });
});

describe('edge cases every route must survive', () => {
  const paths = ROUTES.map((route) => ({ route, path: route.resource.replace(/\{\w+\}/g, 'scn-edgecase1') }));

  it('a session cookie with a bad %-escape is refused as a session (401) everywhere', async () => {
    for (const value of ['next-auth.session-token=%zz', '__Secure-next-auth.session-token=%E0%A4%A']) {
      // A public route ignores credentials (functions/http/access.ts), the session cookie too.
      for (const { route, path } of paths.filter(({ route }) => !('public' in route.access))) {
        const sent: Sent = { method: route.method, path, headers: [['Cookie', value]] };
        const answer = await send(sent);
        expectDocumentedAnswer(sent, answer);
        // Failed authentication is also rate-limited per source, and the fuzzing above is one source.
        expect([401, 429], `${route.method} ${path}: ${answer.status}`).toContain(answer.status);
      }
    }
  });

  it.each(PROTOTYPE_NAMES)('a header and a query parameter named %s are ordinary names', async (name) => {
    for (const { route, path } of paths) {
      const sent: Sent = {
        method: route.method,
        path: `${path}?${encodeURIComponent(name)}=1`,
        headers: [...Object.entries(authHeaders({ kind: 'x-api-key', value: org.apiKeys.admin })), [name, 'x']],
      };
      expectDocumentedAnswer(sent, await send(sent));
    }
  });

  it('a bad %-escape in a path parameter is 400 BAD_REQUEST, as API Gateway answers it', async () => {
    for (const route of ROUTES.filter((r) => r.resource.includes('{'))) {
      const sent: Sent = {
        method: route.method,
        path: route.resource.replace(/\{\w+\}/g, '%E0%A4%A'),
        headers: Object.entries(authHeaders({ kind: 'x-api-key', value: org.apiKeys.admin })),
      };
      const answer = await send(sent);
      expectDocumentedAnswer(sent, answer);
      expect(JSON.parse(answer.text).error.code, `${route.method} ${route.resource}`).toBe('BAD_REQUEST');
    }
  });

  it('a JSON body nested 500,000 deep is answered on every route (JSON.stringify of it would overflow the stack)', async () => {
    const depth = 500_000;
    const nested = `{"image":${'['.repeat(depth)}${']'.repeat(depth)},"scan":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`;
    for (const { route, path } of paths.filter(({ route }) => route.method !== 'GET')) {
      for (const credential of [
        { kind: 'x-api-key', value: org.apiKeys.admin },
        { kind: 'x-api-key', value: org.sensorKey },
      ] as Credential[]) {
        const sent: Sent = {
          method: route.method,
          path,
          headers: [...Object.entries(authHeaders(credential)), ['Content-Type', 'application/json']],
          body: nested,
        };
        expectDocumentedAnswer(sent, await send(sent));
      }
    }
  });

  it('the same header sent twice, and a path that starts with //, are answered', async () => {
    const admin = Object.entries(authHeaders({ kind: 'x-api-key', value: org.apiKeys.admin }));
    for (const sent of [
      { method: 'GET', path: '/api/scans', headers: [...admin, ...admin] as Array<[string, string]> },
      { method: 'GET', path: '//api/scans', headers: admin },
      { method: 'GET', path: '/api/scans?page=1&page=2', headers: admin },
    ])
      expectDocumentedAnswer(sent, await send(sent));
  });
});
