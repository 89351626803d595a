// Which receiver URLs a subscription may name, judged before anything is stored: https only
// (plain http only to loopback, and only where the egress policy allows loopback, as the local
// stack's does), no credentials in the URL, and no host the egress policy refuses by name or
// literal address. Names are judged again at delivery, on the address actually dialled
// (shared/egress/egress-fetch.ts): a name that resolves somewhere refused fails the delivery.
import { checkHostLiteral, parseAddress, type EgressPolicy } from '#shared/egress/egress-policy.ts';
import { ValidationError } from '#shared/errors.ts';

const MAX_URL_LENGTH = 2048;

const isLoopback = (hostname: string) => {
  if (hostname === 'localhost' || hostname.endsWith('.localhost')) return true;
  return parseAddress(hostname)?.range() === 'loopback';
};

export function checkReceiverUrl(value: string, egress: EgressPolicy): string {
  const refuse = (message: string) => new ValidationError(`The webhook URL is refused: ${message}`, [{ path: 'url', message }]);
  if (value.length > MAX_URL_LENGTH) throw refuse(`longer than ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw refuse('not an absolute URL');
  }
  if (url.username || url.password) throw refuse('credentials in the URL are not allowed; the signature authenticates deliveries');
  const verdict = checkHostLiteral(egress, url.host);
  if (url.protocol === 'http:') {
    if (!isLoopback(url.hostname) || !verdict.allowed) throw refuse('use https (plain http only to loopback in a local deployment)');
  } else if (url.protocol !== 'https:') {
    throw refuse(`${url.protocol} is not https`);
  }
  if (!verdict.allowed) throw refuse(verdict.reason);
  return url.toString();
}
