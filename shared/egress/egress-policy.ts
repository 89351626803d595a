// The egress policy: which addresses HarborGuard may connect to when it fetches what a user
// named (registries, token realms, later webhook receivers). One definition, enforced twice:
// by the control plane on a reference alone (a literal address or `localhost`, at POST time)
// and by the connector at connect time on the address actually dialled (shared/egress/egress-fetch.ts).
//
// Only public unicast addresses are allowed by default. An operator allows private registries
// by listing CIDRs or host names (HG_EGRESS_ALLOW); the link-local block, which holds both
// cloud metadata endpoints (169.254.169.254, the ECS task endpoint 169.254.170.2) and AWS's
// IPv6 metadata prefix, is never allowed whatever the list says.
import ipaddr from 'ipaddr.js';

export type EgressVerdict = { allowed: true } | { allowed: false; reason: string };

export interface EgressPolicy {
  /** May `host` (as named) be reached at `address` (as resolved)? */
  check(host: string, address: string): EgressVerdict;
  /** The setting as given, for messages and logs. */
  readonly description: string;
}

type Rule = { kind: 'cidr'; range: [ipaddr.IPv4 | ipaddr.IPv6, number] } | { kind: 'host'; name: string } | { kind: 'domain'; suffix: string };

/** The environment variable an operator (or the local stack) sets. */
const EGRESS_ALLOW_VARIABLE = 'HG_EGRESS_ALLOW';

const NEVER: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [
  ipaddr.parseCIDR('169.254.0.0/16'),
  ipaddr.parseCIDR('fe80::/10'),
  ipaddr.parseCIDR('fd00:ec2::/32'),
];

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

/** A DNS host name (not an address in any spelling), such as a token service a registry names. */
export function isHostName(value: string): boolean {
  return HOST_NAME.test(value) && parseAddress(value) === undefined;
}

/** Parses an address in any spelling a URL host may use (decimal, octal, hex, bracketed, IPv4-mapped); undefined for a name. */
export function parseAddress(input: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  if (ipaddr.isValid(bare)) return ipaddr.process(bare);
  // The WHATWG URL parser (which fetch uses) reads 2852039166, 0251.0376.0251.0376 and
  // 0xa9fea9fe as 169.254.169.254: judge the host the way the connection will see it.
  let hostname: string;
  try {
    hostname = new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}/`).hostname;
  } catch {
    return undefined;
  }
  const unbracketed = hostname.replace(/^\[(.*)\]$/, '$1');
  return ipaddr.isValid(unbracketed) ? ipaddr.process(unbracketed) : undefined;
}

function parseRule(entry: string): Rule {
  const value = entry.trim().toLowerCase();
  if (value.includes('/')) {
    try {
      const [address, bits] = ipaddr.parseCIDR(value);
      // An IPv4-mapped range is the IPv4 range it maps, as addresses are judged after ipaddr.process.
      if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
        return { kind: 'cidr', range: [(address as ipaddr.IPv6).toIPv4Address(), bits - 96] };
      }
      return { kind: 'cidr', range: [address, bits] };
    } catch {
      throw new Error(`${EGRESS_ALLOW_VARIABLE}: "${entry}" is not a CIDR range`);
    }
  }
  const address = parseAddress(value);
  if (address) return { kind: 'cidr', range: [address, address.kind() === 'ipv4' ? 32 : 128] };
  if (value.startsWith('*.') && HOST_NAME.test(value.slice(2))) return { kind: 'domain', suffix: value.slice(1) };
  if (HOST_NAME.test(value)) return { kind: 'host', name: value };
  throw new Error(`${EGRESS_ALLOW_VARIABLE}: "${entry}" is not a CIDR, an address or a host name`);
}

const inRange = (address: ipaddr.IPv4 | ipaddr.IPv6, [base, bits]: [ipaddr.IPv4 | ipaddr.IPv6, number]) =>
  address.kind() === base.kind() && address.match(base, bits);

function hostOnly(host: string): string {
  const bare = host.toLowerCase().replace(/\.$/, '');
  if (bare.startsWith('[')) return bare.slice(0, bare.indexOf(']') + 1);
  return bare.split(':').length === 2 ? bare.slice(0, bare.indexOf(':')) : bare;
}

/** The policy for a setting such as "10.20.0.0/16, registry.corp.example, *.svc.internal" (empty: public addresses only). */
export function egressPolicy(allow = ''): EgressPolicy {
  const rules = allow
    .split(',')
    .filter((entry) => entry.trim())
    .map(parseRule);
  return {
    description: allow.trim() ? `public addresses and ${allow.trim()}` : 'public addresses only',
    check(host, addressText) {
      const address = parseAddress(addressText);
      if (!address) return { allowed: false, reason: `${addressText} is not an IP address` };
      const shown = address.toString();
      if (NEVER.some((range) => inRange(address, range))) return { allowed: false, reason: `${shown} is link-local (cloud metadata); never allowed` };
      if (address.range() === 'unicast') return { allowed: true };
      const name = hostOnly(host);
      const listed = rules.some((rule) =>
        rule.kind === 'cidr' ? inRange(address, rule.range) : rule.kind === 'host' ? rule.name === name : name.endsWith(rule.suffix),
      );
      if (listed) return { allowed: true };
      return { allowed: false, reason: `${shown} is a ${address.range()} address, not allowed by the egress policy (${EGRESS_ALLOW_VARIABLE})` };
    },
  };
}

/**
 * The verdict on a host from its name alone, before any lookup: literal addresses in any
 * spelling, and `localhost`, which resolves to loopback everywhere. Other names are judged
 * at connect time, on what they resolve to.
 */
export function checkHostLiteral(policy: EgressPolicy, host: string): EgressVerdict {
  const name = hostOnly(host);
  if (name === 'localhost' || name.endsWith('.localhost')) {
    const v4 = policy.check(host, '127.0.0.1');
    return v4.allowed ? v4 : policy.check(host, '::1');
  }
  const address = parseAddress(name);
  return address ? policy.check(host, address.toString()) : { allowed: true };
}
