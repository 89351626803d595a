// Changing an organisation's SLA policy (PUT /api/organization/sla-policy): days per severity
// to fix a finding, from 1 to 365; every change is audited with the policy it replaced.
import * as z from '#shared/validation.ts';
import type { Principal } from '../identity/principal.ts';
import { DEFAULT_SLA_DAYS, type SlaPolicy } from './sla-policy.ts';
import { auditOrigin } from './audit-origin.ts';
import type { TriageStore } from './triage-store.ts';

const days = z.int().check(z.gte(1), z.lte(365));
export const slaPolicySchema = z.strictObject({ CRITICAL: days, HIGH: days, MEDIUM: days, LOW: days });

export async function updateSlaPolicy(actor: Principal, policy: SlaPolicy, deps: { triage: TriageStore; now: () => Date }): Promise<SlaPolicy> {
  const before = (await deps.triage.getSlaPolicy(actor.orgId)) ?? DEFAULT_SLA_DAYS;
  await deps.triage.putSlaPolicy(actor.orgId, policy);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'sla-policy.update', target: actor.orgId, before, after: policy });
  return policy;
}
