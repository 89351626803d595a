// Builds scan records with chosen list attributes, stored through the real ScanStore adapter.
import { newId } from '../../functions/domain/ids.ts';
import type { Scan, ScanStatus } from '../../functions/domain/scans/scan.ts';
import type { ComplianceGrade } from '#shared/envelope/envelope-schema.ts';

const STATUSES: ScanStatus[] = ['QUEUED', 'IN_PROGRESS', 'COMPLETE', 'FAILED', 'CANCELLED'];
const GRADES: ComplianceGrade[] = ['A', 'B', 'C', 'D', 'F'];

/** A deterministic spread of statuses, grades, scores and times for scan number `i`. */
export function makeScan(orgId: string, i: number, tagId = 'tag-fixture'): Scan {
  const status = STATUSES[(i * 7) % STATUSES.length]!;
  const finished = status === 'COMPLETE' || status === 'FAILED';
  const requestedAt = new Date(Date.UTC(2026, 0, 1) + i * 61_000 + ((i * 7919) % 50_000)).toISOString();
  return {
    id: newId('scn'),
    orgId,
    tagId,
    image: { name: `ghcr.io/acme/${['api', 'web', 'worker'][i % 3]}`, tag: `1.${i % 17}.0`, digest: null },
    status,
    scanners: ['harborguard'],
    compliance: status === 'COMPLETE' ? GRADES[(i * 3) % GRADES.length]! : null,
    riskScore: status === 'COMPLETE' ? (i * 37) % 101 : null,
    duration: finished ? 1000 + i : null,
    scannedAt: finished ? new Date(Date.parse(requestedAt) + 30_000).toISOString() : null,
    requestedAt,
    updatedAt: requestedAt,
    source: 'api',
  };
}
