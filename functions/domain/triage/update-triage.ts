// Changing a finding's triage (PUT /api/vulnerabilities/{id}/triage): the change applies to the
// finding and carries forward to later scans of the repository; every change is audited.
import * as z from '#shared/validation.ts';
import { NotFoundError } from '#shared/errors.ts';
import { findingKey, scanIdOfFinding } from '../findings/build-findings.ts';
import { TRIAGE_STATUSES, type Finding } from '../findings/finding.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import type { ScanStore } from '../scans/scan-store.ts';
import { auditOrigin } from './audit-origin.ts';
import type { TriageStore } from './triage-store.ts';

export const triageChangeSchema = z
  .strictObject({
    status: z.optional(z.enum(TRIAGE_STATUSES)),
    assignee: z.optional(z.nullable(z.string().check(z.trim(), z.minLength(1), z.maxLength(254)))),
    note: z.optional(z.nullable(z.string().check(z.maxLength(4000)))),
  })
  .check(z.refine((change) => Object.keys(change).length > 0, 'give at least one of status, assignee, note'));

export async function updateTriage(
  actor: Principal,
  findingId: string,
  change: z.infer<typeof triageChangeSchema>,
  deps: { scans: ScanStore; triage: TriageStore; now: () => Date },
): Promise<Finding> {
  const scanId = scanIdOfFinding(findingId);
  const scan = scanId ? await deps.scans.getScan(actor.orgId, scanId) : undefined;
  const finding = scan ? await deps.scans.getFinding(actor.orgId, scan.id, findingId) : undefined;
  if (!scan || !finding) throw new NotFoundError(`Vulnerability ${findingId.slice(0, 100)} not found`);
  const at = deps.now().toISOString();
  const before = finding.triage;
  const after: Finding['triage'] = {
    ...before,
    ...(change.status !== undefined ? { status: change.status } : {}),
    ...(change.assignee !== undefined ? { assignee: change.assignee } : {}),
    ...(change.note !== undefined ? { note: change.note } : {}),
    updatedBy: actorName(actor),
    updatedAt: at,
  };
  const updated = { ...finding, triage: after };
  await deps.scans.putFindings(actor.orgId, scan.id, [updated]);
  await deps.triage.updateCurrentTriage(actor.orgId, scan.tagId, updated);
  await deps.triage.putRepositoryTriage(actor.orgId, scan.image.name, findingKey(finding), after);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, new Date(at)), action: 'triage.update', target: findingId, before, after });
  return updated;
}
