// Who is making a request, as every route sees it once authentication has run.
import type { Role } from './roles.ts';

export type CredentialKind = 'api_key' | 'pat' | 'session';

export interface Principal {
  orgId: string;
  role: Role;
  kind: CredentialKind;
  /** The API key id, PAT id, or the user id for a session. */
  credentialId: string;
  /** Set for PATs and sessions: the user acting. */
  userId?: string;
  /** A sensor key may only upload scan envelopes. */
  sensor: boolean;
  /** A scanner task's credential: a sensor key for this one scan only. */
  scanId?: string;
  /**
   * The address the request came from, as the gateway saw it: recorded in audit entries.
   * Absent for work no request asked for (bootstrap, the dispatcher).
   */
  sourceIp?: string;
}

/** Rate limits count per credential: the key itself, or the user behind a PAT or session. */
export function rateLimitSubject(principal: Principal): string {
  return principal.userId ?? principal.credentialId;
}

/** How the principal is named in audit fields such as createdBy. */
export function actorName(principal: Principal): string {
  return principal.userId ?? principal.credentialId;
}
