// Who may call a route, as each route declares it (`access` in its group's handler.ts): which
// kinds of credential it accepts and, for members' credentials, the minimum role; or `public`,
// for the few routes anyone may call (health, the API description). The
// authentication middleware enforces exactly this declaration, and test/api/auth-matrix.test.ts
// calls every declared route with every kind and role, so a new route is covered by being declared.
import type { Principal } from '#domain/identity/principal.ts';
import { hasRole, type Role } from '#domain/identity/roles.ts';

/** A member's credentials: they act with a role (the user's, or the key's). */
export type MemberCredential = 'session' | 'pat' | 'api_key';
/** A scanner's credentials: a sensor key, or the key the dispatcher mints for one scan's task. No role applies. */
export type ScannerCredential = 'sensor_key' | 'task';
export type CredentialKind = MemberCredential | ScannerCredential;

type NonEmpty<T> = readonly [T, ...T[]];

export type CredentialAccess = { minRole: Role; credentials: NonEmpty<MemberCredential> } | { credentials: NonEmpty<ScannerCredential> };
/**
 * No credential needed. A credential sent anyway is ignored: not looked up, not counted against
 * its source, and never a 401, so that a client configured with a bad or expired key still gets
 * its health answer and the document.
 */
export type PublicAccess = { public: true };
/**
 * No API credential either, but the route proves the caller itself with a secret of its own
 * (a registry hook, by its integration's secret, as that provider signs): it gets the adapters
 * to look the secret up, and `verifiedBy` says how, for the API description.
 */
export type SelfVerifiedAccess = { public: true; verifiedBy: string };
export type Access = CredentialAccess | PublicAccess;

export const isPublic = (access: Access): access is PublicAccess => 'public' in access;
export const isSelfVerified = (access: Access): access is SelfVerifiedAccess => 'verifiedBy' in access;
/** Narrows a route (route.ts: Route | PublicRoute) by its access. */
export const isPublicRoute = <R extends { access: Access }>(route: R): route is Extract<R, { access: PublicAccess }> => isPublic(route.access);

/** Each kind's name in refusals and in the API description. */
export const CREDENTIAL_NAMES: Record<CredentialKind, string> = {
  session: 'sessions',
  pat: 'personal access tokens',
  api_key: 'API keys',
  sensor_key: 'sensor-scoped API keys',
  task: 'scanner task keys',
};

/** The kind of credential a principal authenticated with, as access rules name it. */
export function credentialKind(principal: Principal): CredentialKind {
  if (principal.kind !== 'api_key') return principal.kind;
  if (!principal.sensor) return 'api_key';
  return principal.scanId === undefined ? 'sensor_key' : 'task';
}

export const listed = (names: string[]) => (names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}`);

/** Why `principal` may not call a route declaring `access` (the 403 message), or undefined when it may. */
export function accessRefusal(access: CredentialAccess, principal: Principal): string | undefined {
  const kind = credentialKind(principal);
  const accepted: readonly CredentialKind[] = access.credentials;
  if (!accepted.includes(kind)) return `This endpoint accepts only ${listed(accepted.map((k) => CREDENTIAL_NAMES[k]))}, not ${CREDENTIAL_NAMES[kind]}`;
  if ('minRole' in access && !hasRole(principal.role, access.minRole)) return `This action requires the ${access.minRole} role`;
  return undefined;
}
