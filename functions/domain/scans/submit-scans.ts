// Queues scans: validates every image reference first, records the scans QUEUED and sends
// one queue message each, all or nothing (a failed send removes the scans it recorded).
import { checkHostLiteral, type EgressPolicy } from '#shared/egress/egress-policy.ts';
import { ValidationError } from '#shared/errors.ts';
import { newId } from '../ids.ts';
import type { PipelineSettings } from '../pipeline/pipeline-settings.ts';
import type { Principal } from '../identity/principal.ts';
import { formatImageReference, imageName, parseImageReference } from '#shared/image-reference/image-reference.ts';
import { formatLocalSource, parseLocalSource, resolveLocalSource } from '#shared/image-reference/local-source.ts';
import { tagNameOf, type Scan, type ScanTrigger } from './scan.ts';
import type { ScanQueue, ScanStore } from './scan-store.ts';

export interface ScanRequest {
  image: string;
  scanners: string[];
  trigger?: ScanTrigger;
}

export interface SubmitDeps {
  scans: ScanStore;
  queue: ScanQueue;
  settings: Pick<PipelineSettings, 'availableScanners' | 'maxQueuedMs' | 'localSourcesDir' | 'egress'>;
  now: () => Date;
}

/** Every requested scanner must be one this deployment's task image can run. */
function assertScannersAvailable(requests: readonly ScanRequest[], scannersField: (index: number) => string, available: readonly string[]): void {
  const issues = requests.flatMap((request, i) =>
    request.scanners.flatMap((scanner, j) =>
      available.includes(scanner)
        ? []
        : [{ path: `${scannersField(i)}[${j}]`, message: `"${scanner}" is not available here; available: ${available.join(', ')}` }],
    ),
  );
  if (issues.length > 0) throw new ValidationError(`Unavailable scanner requested; available: ${available.join(', ')}`, issues);
}

/** What a scan records about its image, and the reference its queue message hands the task. */
interface SubmittedImage {
  image: Scan['image'];
  reference: string;
}

/**
 * A registry reference, normalised; or, in a local deployment, a local source inside its
 * local-sources folder (recorded by its path in that folder, handed to the task by real path).
 */
async function submittedImage(input: string, field: string, localSourcesDir: string | undefined, egress: EgressPolicy): Promise<SubmittedImage> {
  const local = parseLocalSource(input.trim());
  if (!local) {
    const ref = parseImageReference(input, field);
    // What the reference alone tells (a literal address, localhost); names are judged by the task when it connects.
    const verdict = checkHostLiteral(egress, ref.registry);
    if (!verdict.allowed)
      throw new ValidationError(`Invalid image reference: registry ${ref.registry} is not reachable by scans`, [
        { path: field, message: `registry ${ref.registry}: ${verdict.reason}` },
      ]);
    return { image: { name: imageName(ref), tag: ref.tag, digest: ref.digest }, reference: formatImageReference(ref) };
  }
  const refuse = (message: string): never => {
    throw new ValidationError(`Invalid image reference: ${message}`, [{ path: field, message }]);
  };
  if (!localSourcesDir) refuse(`${local.kind}: sources are accepted only by a local deployment with a local-sources folder; give a registry reference`);
  const resolved = await resolveLocalSource(local, localSourcesDir!);
  if ('refused' in resolved) return refuse(resolved.refused);
  return { image: { name: `${local.kind}:${resolved.relativePath}`, tag: local.tag ?? null, digest: null }, reference: formatLocalSource(resolved.source) };
}

/** `fieldOf(i, name)` names a field of request i in errors (e.g. `scans[3].image`). */
export async function submitScans(
  actor: Principal,
  requests: readonly ScanRequest[],
  fieldOf: (index: number, name: 'image' | 'scanners') => string,
  deps: SubmitDeps,
): Promise<Scan[]> {
  const images = await Promise.all(
    requests.map((request, i) => submittedImage(request.image, fieldOf(i, 'image'), deps.settings.localSourcesDir, deps.settings.egress)),
  );
  assertScannersAvailable(requests, (i) => fieldOf(i, 'scanners'), deps.settings.availableScanners);
  const now = deps.now();
  const at = now.toISOString();
  const deadline = new Date(now.getTime() + deps.settings.maxQueuedMs).toISOString();
  const scans: Scan[] = [];
  for (const [i, { image }] of images.entries()) {
    const tagId = await deps.scans.ensureTag(actor.orgId, image.name, tagNameOf(image));
    scans.push({
      id: newId('scn'),
      orgId: actor.orgId,
      tagId,
      image,
      status: 'QUEUED',
      scanners: [...new Set(requests[i]!.scanners)],
      compliance: null,
      riskScore: null,
      duration: null,
      scannedAt: null,
      requestedAt: at,
      updatedAt: at,
      source: 'api',
      ...(requests[i]!.trigger ? { trigger: requests[i]!.trigger } : {}),
      deadline,
    });
  }
  await deps.scans.createScans(scans);
  try {
    await deps.queue.enqueue(
      scans.map((scan, i) => ({
        scanId: scan.id,
        orgId: scan.orgId,
        image: images[i]!.reference,
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
