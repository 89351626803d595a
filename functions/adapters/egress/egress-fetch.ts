// fetch that connects only where the egress policy allows. The check sits in the connector, on
// the address the socket actually dials: names are resolved by our own lookup, which hands the
// socket only allowed addresses (so there is no window between a check and a second, rebound
// lookup), literal addresses are checked before dialling, and the connected peer is checked
// again. Redirects are the caller's business (registry-client.ts follows them by hand).
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, buildConnector, fetch as undiciFetch } from 'undici';
import type { EgressPolicy } from '#domain/egress/egress-policy.ts';

/** The policy refused an address, a redirect or a token realm. */
export class EgressDeniedError extends Error {
  override name = 'EgressDeniedError';
}

export type Fetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

const CONNECT_TIMEOUT_MS = 10_000;

function guardedLookup(policy: EgressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
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

function guardedAgent(policy: EgressPolicy): Agent {
  const connect = buildConnector({ lookup: guardedLookup(policy), timeout: CONNECT_TIMEOUT_MS });
  return new Agent({
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
  const dispatcher = policy ? guardedAgent(policy) : new Agent({ connect: { timeout: CONNECT_TIMEOUT_MS } });
  return (url, init) => undiciFetch(url, { ...(init as object), dispatcher }) as unknown as Promise<Response>;
}

/** The policy's refusal behind a failed fetch, if that is why it failed. */
export function egressDenial(error: unknown): EgressDeniedError | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; cause = (cause as { cause?: unknown }).cause, depth++) {
    if (cause instanceof EgressDeniedError) return cause;
  }
  return undefined;
}
