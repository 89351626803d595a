// Signing a delivery, two ways at once. The Standard Webhooks scheme (webhook-id,
// webhook-timestamp, webhook-signature "v1,<base64 HMAC-SHA256 of id.timestamp.body>"), which
// receivers verify with the `standardwebhooks` library in their language and which binds the
// timestamp (a receiver refuses old ones: no replays); and the reference product's
// X-HarborGuard-Signature "sha256=<hex HMAC of the body>", for receivers written for it.
// Both are one HMAC with node:crypto, not worth a dependency in the delivery path; the tests
// verify every delivery with the receivers' own library.
import { createHmac, randomBytes } from 'node:crypto';

const SECRET_PREFIX = 'whsec_';

/** A new signing secret: `whsec_` and 32 random bytes in base64, the form the standardwebhooks libraries read. */
export const generateSigningSecret = () => SECRET_PREFIX + randomBytes(32).toString('base64');

const keyOf = (secret: string) => Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64');

/**
 * The headers of one attempt. Every secret still valid signs (a receiver mid-rotation accepts
 * either); the reference product's header carries the newest only, as it has room for one.
 */
export function signatureHeaders(message: { id: string; timestamp: Date; body: string }, secretsNewestFirst: readonly string[]): Record<string, string> {
  const seconds = Math.floor(message.timestamp.getTime() / 1000).toString();
  const signed = `${message.id}.${seconds}.${message.body}`;
  return {
    'webhook-id': message.id,
    'webhook-timestamp': seconds,
    'webhook-signature': secretsNewestFirst.map((secret) => `v1,${createHmac('sha256', keyOf(secret)).update(signed).digest('base64')}`).join(' '),
    'x-harborguard-signature': `sha256=${createHmac('sha256', keyOf(secretsNewestFirst[0]!)).update(message.body).digest('hex')}`,
  };
}
