// The who, from where and when of an audit entry made on behalf of a request's principal:
// `appendAudit(orgId, { ...auditOrigin(actor, deps.now()), action, target, before?, after? })`.
import { actorName, type Principal } from '../identity/principal.ts';
import type { AuditEntry } from './triage-store.ts';

export function auditOrigin(actor: Principal, at: Date): Pick<AuditEntry, 'at' | 'actor' | 'sourceIp'> {
  return { at: at.toISOString(), actor: actorName(actor), ...(actor.sourceIp ? { sourceIp: actor.sourceIp } : {}) };
}
