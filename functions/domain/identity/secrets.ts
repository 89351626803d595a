// Credential secrets: generation, hashing at rest and constant-time comparison.
// Keys are 192-bit random values, so a single SHA-256 is a sound at-rest hash (no stretching
// needed, unlike passwords) and lets a credential be found by its hash in one read.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type SecretKind = 'api_key' | 'pat';

const PREFIX: Record<SecretKind, string> = { api_key: 'hg_ak_', pat: 'hg_pat_' };
const SECRET_PATTERN = /^(hg_ak_|hg_pat_)([0-9a-f]{48})$/;

export function generateSecret(kind: SecretKind): string {
  return PREFIX[kind] + randomBytes(24).toString('hex');
}

/** The kind of a well-formed secret, or undefined when the string is not one of ours. */
export function secretKind(secret: string): SecretKind | undefined {
  const match = SECRET_PATTERN.exec(secret);
  if (!match) return undefined;
  return match[1] === 'hg_ak_' ? 'api_key' : 'pat';
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex digests without leaking, through timing, how many leading characters match. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** What may be shown after creation: enough to recognise a key, far too little to use it. */
export function displayPrefix(secret: string): string {
  const kind = secretKind(secret);
  const head = kind === 'pat' ? 7 : 6;
  return secret.slice(0, head + 6) + '…';
}
