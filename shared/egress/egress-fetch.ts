// fetch that connects only where the egress policy allows. The check sits in the connector, on
// the address the socket actually dials: names are resolved by our own lookup, which hands the
// socket only allowed addresses (so there is no window between a check and a second, rebound
// lookup), literal addresses are checked before dialling, and the connected peer is checked
// again. Redirects are the caller's business (registry-client.ts follows them by hand).
// Every request has a connect, a first-byte and an idle-body timeout, and bodyOf() reads an
// answer only up to a limit.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { EgressPolicy } from './egress-policy.ts';

/** The policy refused an address, a redirect or a token realm. */
export class EgressDeniedError extends Error {
  override name = 'EgressDeniedError';
}

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const TIMEOUTS = {
  connect: 10_000,
  /** Until the response's headers: beyond API Gateway's 29 s, so a slow synchronous ingest still answers. */
  headers: 60_000,
  /** Between two chunks of a body (a layer download may take long, but never stalls this long). */
  body: 60_000,
};

/** The answer was longer than its reader allows. */
export class ResponseTooLargeError extends Error {
  override name = 'ResponseTooLargeError';
}

// Names under .localhost are loopback (RFC 6761; the local stack's S3 is bucket.s3.localhost),
// which glibc does not resolve: they are looked up as localhost, and judged as what that gives.
const resolve = (hostname: string) => (hostname === 'localhost' || hostname.endsWith('.localhost') ? 'localhost' : hostname);

function guardedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(resolve(hostname), { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = addresses.filter(({ address }) => policy.check(hostname, address).allowed);
      if (allowed.length === 0) {
        const verdict = policy.check(hostname, addresses[0]!.address);
        return callback(new EgressDeniedError(`${hostname} resolves to ${addresses[0]!.address}: ${verdict.allowed ? 'refused' : verdict.reason}`), '', 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, allowed);
      callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  };
}

const openLookup: LookupFunction = (hostname, options, callback) => dnsLookup(resolve(hostname), options, callback);

function guardedAgent(policy: EgressPolicy): Agent {
  const connect = buildConnector({ lookup: guardedLookup(policy), timeout: TIMEOUTS.connect });
  return new Agent({
    headersTimeout: TIMEOUTS.headers,
    bodyTimeout: TIMEOUTS.body,
    connect(options, callback) {
      const host = options.hostname;
      const literal = host.replace(/^\[(.*)\]$/, '$1');
      if (isIP(literal)) {
        const verdict = policy.check(host, literal);
        if (!verdict.allowed) return callback(new EgressDeniedError(verdict.reason), null);
      }
      connect(options, (error, socket) => {
        if (error || !socket) return callback(error ?? new Error('no socket'), null);
        const peer = socket.remoteAddress;
        const verdict = peer ? policy.check(host, peer) : { allowed: false as const, reason: 'the connection has no peer address' };
        if (!verdict.allowed) {
          socket.destroy();
          return callback(new EgressDeniedError(verdict.reason), null);
        }
        callback(null, socket);
      });
    },
  });
}

/**
 * A fetch bound to the policy, or an unrestricted one (the CLI on its user's own machine).
 * Both speak through undici's own fetch so the registry client sees one behaviour.
 */
export function egressFetch(policy: EgressPolicy | undefined): Fetch {
  const dispatcher = policy
    ? guardedAgent(policy)
    : new Agent({ headersTimeout: TIMEOUTS.headers, bodyTimeout: TIMEOUTS.body, connect: { timeout: TIMEOUTS.connect, lookup: openLookup } });
  // A refusal is the reason, not undici's generic "fetch failed" around it.
  return (url, init) =>
    (undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>).catch((error: unknown) => {
      throw egressDenial(error) ?? error;
    });
}

/** A response body read whole, refusing one longer than `limit` bytes (declared or actual). */
export async function bodyOf(response: Response, limit: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw new ResponseTooLargeError(`the answer is ${declared} bytes, more than the ${limit} allowed`);
  }
  const reader = response.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new ResponseTooLargeError(`the answer exceeds the ${limit} bytes allowed`);
    }
    chunks.push(value);
  }
}

/** The policy's refusal behind a failed fetch, if that is why it failed. */
export function egressDenial(error: unknown): EgressDeniedError | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof EgressDeniedError) return cause;
  }
  return undefined;
}
