// Queues scans: validates every image reference first, records the scans QUEUED and sends
// one queue message each, all or nothing (a failed send removes the scans it recorded).
import { newId } from '../ids.ts';
import type { Principal } from '../identity/principal.ts';
import { formatImageReference, imageName, parseImageReference } from './image-reference.ts';
import type { Scan } from './scan.ts';
import type { ScanQueue, ScanStore } from './scan-store.ts';

export interface ScanRequest {
  image: string;
  scanners: string[];
}

export interface SubmitDeps {
  scans: ScanStore;
  queue: ScanQueue;
  now: () => Date;
}

/** `fieldOf(i)` names request i's image field in errors (e.g. `scans[3].image`). */
export async function submitScans(
  actor: Principal,
  requests: readonly ScanRequest[],
  fieldOf: (index: number) => string,
  deps: SubmitDeps,
): Promise<Scan[]> {
  const refs = requests.map((request, i) => parseImageReference(request.image, fieldOf(i)));
  const at = deps.now().toISOString();
  const scans: Scan[] = [];
  for (const [i, ref] of refs.entries()) {
    const name = imageName(ref);
    const tagId = await deps.scans.ensureTag(actor.orgId, name, ref.tag ?? ref.digest!);
    scans.push({
      id: newId('scn'),
      orgId: actor.orgId,
      tagId,
      image: { name, tag: ref.tag, digest: ref.digest },
      status: 'QUEUED',
      scanners: [...new Set(requests[i]!.scanners)],
      compliance: null,
      riskScore: null,
      duration: null,
      scannedAt: null,
      requestedAt: at,
      updatedAt: at,
      source: 'api',
    });
  }
  await deps.scans.createScans(scans);
  try {
    await deps.queue.enqueue(
      scans.map((scan, i) => ({
        scanId: scan.id,
        orgId: scan.orgId,
        image: formatImageReference(refs[i]!),
        scanners: scan.scanners,
        requestedAt: at,
      })),
    );
  } catch (error) {
    await Promise.all(scans.map((scan) => deps.scans.deleteScan(scan.orgId, scan.id)));
    throw error;
  }
  return scans;
}
