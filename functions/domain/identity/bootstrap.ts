// First start of a deployment: make sure the `default` organisation exists with an admin API
// key and an admin user holding a PAT. Given secrets are adopted (idempotently); missing ones
// are generated and returned so the caller can show them once. An operator's act outside any
// request, so it is not audited (issueApiKey / issuePat).
import { newId } from '../ids.ts';
import { issueApiKey } from './api-keys.ts';
import type { IdentityStore } from './identity-store.ts';
import { issuePat } from './personal-access-tokens.ts';
import type { Principal } from './principal.ts';
import { hashSecret, secretKind } from './secrets.ts';

export interface BootstrapInput {
  apiKey?: string;
  pat?: string;
  adminEmail?: string;
}

export interface BootstrapResult {
  orgId: string;
  userId: string;
  /** Secrets created now (shown once); undefined when given or already present. */
  createdApiKey?: string;
  createdPat?: string;
}

const MARKER_NAME = 'bootstrap';

export async function bootstrapOrganization(input: BootstrapInput, deps: { identity: IdentityStore; now: () => Date }): Promise<BootstrapResult> {
  for (const [name, secret, kind] of [
    ['HG_BOOTSTRAP_API_KEY', input.apiKey, 'api_key'],
    ['HG_BOOTSTRAP_PAT', input.pat, 'pat'],
  ] as const) {
    if (secret !== undefined && secretKind(secret) !== kind)
      throw new Error(`${name} must be ${kind === 'api_key' ? 'hg_ak_' : 'hg_pat_'} followed by 48 lowercase hex characters`);
  }
  const at = deps.now().toISOString();
  const org = await deps.identity.ensureOrganization({ id: newId('org'), slug: 'default', name: 'Default organisation', createdAt: at });
  const user = await deps.identity.ensureUser({ id: newId('usr'), email: input.adminEmail ?? 'admin@localhost', createdAt: at });
  const member = await deps.identity.getMembership(org.id, user.id);
  if (!member) await deps.identity.addMembership({ orgId: org.id, userId: user.id, email: user.email, role: 'admin', addedAt: at, updatedAt: at });

  const system: Principal = { orgId: org.id, role: 'owner', kind: 'api_key', credentialId: 'bootstrap', sensor: false };
  const result: BootstrapResult = { orgId: org.id, userId: user.id };

  const keys = await deps.identity.listApiKeys(org.id);
  if (input.apiKey !== undefined) {
    if (!(await deps.identity.findCredentialByHash(hashSecret(input.apiKey)))) {
      await issueApiKey(system, { name: MARKER_NAME, role: 'admin', sensor: false }, deps, input.apiKey);
    }
  } else if (!keys.some((key) => key.name === MARKER_NAME)) {
    result.createdApiKey = (await issueApiKey(system, { name: MARKER_NAME, role: 'admin', sensor: false }, deps)).secret;
  }

  const asUser: Principal = { ...system, kind: 'session', credentialId: user.id, userId: user.id, role: 'admin' };
  const pats = await deps.identity.listPats(user.id, org.id);
  if (input.pat !== undefined) {
    if (!(await deps.identity.findCredentialByHash(hashSecret(input.pat)))) await issuePat(asUser, { name: MARKER_NAME }, deps, input.pat);
  } else if (!pats.some((pat) => pat.name === MARKER_NAME)) {
    result.createdPat = (await issuePat(asUser, { name: MARKER_NAME }, deps)).secret;
  }
  return result;
}
