// Queues scans: validates every image reference first, records the scans QUEUED and sends
// one queue message each, all or nothing (a failed send removes the scans it recorded).
import { ValidationError } from '../errors.ts';
import { newId } from '../ids.ts';
import type { PipelineSettings } from '../pipeline/pipeline-settings.ts';
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
  settings: Pick<PipelineSettings, 'availableScanners' | 'maxQueuedMs'>;
  now: () => Date;
}

/** Every requested scanner must be one this deployment's task image can run. */
function assertScannersAvailable(requests: readonly ScanRequest[], scannersField: (index: number) => string, available: readonly string[]): void {
  const issues = requests.flatMap((request, i) =>
    request.scanners.flatMap((scanner, j) =>
      available.includes(scanner) ? [] : [{ path: `${scannersField(i)}[${j}]`, message: `"${scanner}" is not available here; available: ${available.join(', ')}` }],
    ),
  );
  if (issues.length > 0) throw new ValidationError(`Unavailable scanner requested; available: ${available.join(', ')}`, issues);
}

/** `fieldOf(i, name)` names a field of request i in errors (e.g. `scans[3].image`). */
export async function submitScans(
  actor: Principal,
  requests: readonly ScanRequest[],
  fieldOf: (index: number, name: 'image' | 'scanners') => string,
  deps: SubmitDeps,
): Promise<Scan[]> {
  const refs = requests.map((request, i) => parseImageReference(request.image, fieldOf(i, 'image')));
  assertScannersAvailable(requests, (i) => fieldOf(i, 'scanners'), deps.settings.availableScanners);
  const now = deps.now();
  const at = now.toISOString();
  const deadline = new Date(now.getTime() + deps.settings.maxQueuedMs).toISOString();
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
      deadline,
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
