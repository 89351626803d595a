// An operation's security as the document states it: the schemes its declared access accepts,
// a sentence saying who may call it, and the declaration itself as an extension.
import { CREDENTIAL_NAMES, isPublic, isSelfVerified, listed, type Access, type CredentialKind } from '../access.ts';

export const SECURITY_SCHEMES = {
  apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key (hg_ak_…).' },
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer with an API key (hg_ak_…) or a personal access token (hg_pat_…).',
  },
  session: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token', description: "The dashboard's session cookie." },
} as const;

type Scheme = keyof typeof SECURITY_SCHEMES;

/** Which schemes carry each kind: API keys (sensor and task keys are API keys too) in either header; PATs only as Bearer. */
const CARRIED_BY: Record<CredentialKind, readonly Scheme[]> = {
  api_key: ['apiKey', 'bearer'],
  sensor_key: ['apiKey', 'bearer'],
  task: ['apiKey', 'bearer'],
  pat: ['bearer'],
  session: ['session'],
};

export function operationSecurity(access: Access): Record<Scheme, never[]>[] {
  if (isPublic(access)) return [];
  const schemes = new Set(access.credentials.flatMap((kind) => CARRIED_BY[kind]));
  return (Object.keys(SECURITY_SCHEMES) as Scheme[]).filter((scheme) => schemes.has(scheme)).map((scheme) => ({ [scheme]: [] }) as Record<Scheme, never[]>);
}

export function accessSentence(access: Access): string {
  if (isSelfVerified(access)) return `No API credential (one sent is ignored): ${access.verifiedBy}`;
  if (isPublic(access)) return 'Public: no credential needed; one sent anyway is ignored.';
  const kinds = listed(access.credentials.map((kind) => CREDENTIAL_NAMES[kind]));
  return 'minRole' in access ? `Requires ${kinds}, with at least the ${access.minRole} role.` : `Requires ${kinds}.`;
}
