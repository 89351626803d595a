// The web session cookie (`next-auth.session-token`): a compact HMAC-SHA256 signed token naming
// the user and the organisation they signed in to, with an expiry. Tampered or expired → rejected.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface SessionClaims {
  sub: string;
  org: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
  iat: number;
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');

function sign(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest();
}

export function signSessionToken(claims: SessionClaims, secret: string): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${HEADER}.${payload}.${sign(payload, secret).toString('base64url')}`;
}

/** The claims of a valid, unexpired token; undefined for anything else. */
export function verifySessionToken(token: string, secret: string, now: Date): SessionClaims | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return undefined;
  const [, payload, signature] = parts as [string, string, string];
  const expected = sign(payload, secret);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!isClaims(claims) || claims.exp * 1000 <= now.getTime()) return undefined;
  return claims;
}

function isClaims(value: unknown): value is SessionClaims {
  const c = value as Partial<SessionClaims> | null;
  return (
    typeof c === 'object' && c !== null && typeof c.sub === 'string' && typeof c.org === 'string' && typeof c.exp === 'number' && typeof c.iat === 'number'
  );
}
