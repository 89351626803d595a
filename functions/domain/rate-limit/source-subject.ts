// The subject a per-source limit counts against: the caller's address as the gateway saw it.
// An IPv6 client usually holds a whole /64, so it counts as one source; an IPv4-mapped IPv6
// address is the IPv4 address it maps.
import { isIPv4, isIPv6 } from 'node:net';

export function sourceSubject(sourceIp: string | undefined): string {
  const address = sourceIp?.trim().toLowerCase() ?? '';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  if (isIPv4(address)) return address;
  if (isIPv6(address)) return `${ipv6Prefix64(address)}::/64`;
  return 'unknown';
}

/** The first four 16-bit groups of an IPv6 address, written out in full. */
function ipv6Prefix64(address: string): string {
  const withoutZone = address.split('%')[0]!;
  const [head = '', tail = ''] = withoutZone.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  // An embedded IPv4 tail (::1.2.3.4) takes two groups; it only ever falls in the last 64 bits.
  const tailLength = tailGroups.reduce((n, group) => n + (group.includes('.') ? 2 : 1), 0);
  const groups = withoutZone.includes('::') ? [...headGroups, ...Array(8 - headGroups.length - tailLength).fill('0'), ...tailGroups] : headGroups;
  return groups
    .slice(0, 4)
    .map((group) => group.padStart(4, '0'))
    .join(':');
}
