// Turns the credentials a request presents into a Principal, or refuses with 401.
// Order: X-API-Key, then Authorization: Bearer, then the session cookie; the first one
// presented decides (a bad X-API-Key never falls through to another credential).
import { UnauthorizedError } from '#shared/errors.ts';
import type { CredentialRecord, IdentityStore } from './identity-store.ts';
import type { Principal } from './principal.ts';
import { digestsEqual, hashSecret, secretKind } from './secrets.ts';
import { verifySessionToken } from './session-token.ts';

export interface PresentedCredentials {
  apiKeyHeader?: string;
  bearerToken?: string;
  sessionCookie?: string;
  /** An Authorization header that is not `Bearer <token>` (a bare key, another scheme). */
  malformedAuthorization?: true;
}

export interface AuthenticationDeps {
  identity: IdentityStore;
  sessionSecret: string;
  now: () => Date;
}

export async function authenticate(presented: PresentedCredentials, deps: AuthenticationDeps): Promise<Principal> {
  // The commonest mistake, a key pasted into Authorization without its scheme, gets an answer
  // that says what to send instead of a bare "Invalid credentials".
  if (presented.malformedAuthorization) {
    throw new UnauthorizedError(
      'The Authorization header must be "Bearer <token>": send Authorization: Bearer hg_ak_… (or hg_pat_…), or the key as X-API-Key: hg_ak_…',
    );
  }
  const secret = presented.apiKeyHeader ?? presented.bearerToken;
  if (secret !== undefined) return authenticateSecret(secret.trim(), presented.apiKeyHeader !== undefined, deps);
  if (presented.sessionCookie !== undefined) return authenticateSession(presented.sessionCookie, deps);
  throw new UnauthorizedError('Authentication required: send X-API-Key, Authorization: Bearer, or a session cookie');
}

async function authenticateSecret(secret: string, fromApiKeyHeader: boolean, deps: AuthenticationDeps): Promise<Principal> {
  const kind = secretKind(secret);
  if (kind === undefined || (fromApiKeyHeader && kind !== 'api_key')) {
    throw new UnauthorizedError('Invalid credentials');
  }
  const hash = hashSecret(secret);
  const credential = await deps.identity.findCredentialByHash(hash);
  if (!credential || !digestsEqual(credential.secretHash, hash) || credential.kind !== kind) {
    throw new UnauthorizedError('Invalid credentials');
  }
  const now = deps.now();
  if (credential.expiresAt && Date.parse(credential.expiresAt) <= now.getTime()) {
    throw new UnauthorizedError('Credential expired');
  }
  const principal = await principalFor(credential, deps);
  await deps.identity.recordCredentialUse(credential, now.toISOString());
  return principal;
}

async function principalFor(credential: CredentialRecord, deps: AuthenticationDeps): Promise<Principal> {
  if (credential.kind === 'api_key') {
    return {
      orgId: credential.orgId,
      role: credential.role,
      kind: 'api_key',
      credentialId: credential.id,
      sensor: credential.sensor,
      ...(credential.scanId ? { scanId: credential.scanId } : {}),
    };
  }
  // A PAT acts with its user's role at request time, so demotion or removal applies at once.
  const membership = await deps.identity.getMembership(credential.orgId, credential.userId);
  if (!membership || membership.addedAt > credential.createdAt) throw new UnauthorizedError('Invalid credentials');
  return {
    orgId: credential.orgId,
    role: membership.role,
    kind: 'pat',
    credentialId: credential.id,
    userId: credential.userId,
    sensor: false,
  };
}

async function authenticateSession(token: string, deps: AuthenticationDeps): Promise<Principal> {
  const claims = verifySessionToken(token, deps.sessionSecret, deps.now());
  if (!claims) throw new UnauthorizedError('Invalid or expired session');
  const membership = await deps.identity.getMembership(claims.org, claims.sub);
  if (!membership || Math.floor(Date.parse(membership.addedAt) / 1000) > claims.iat) {
    throw new UnauthorizedError('Invalid or expired session');
  }
  return {
    orgId: claims.org,
    role: membership.role,
    kind: 'session',
    credentialId: claims.sub,
    userId: claims.sub,
    sensor: false,
  };
}
