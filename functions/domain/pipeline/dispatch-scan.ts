// The dispatcher's decision for one queued scan: start it now, skip it, or leave it queued.
// QUEUED → IN_PROGRESS is one conditional write, so a redelivered message never launches a
// second task; the running caps are checked in the same write, so excess scans wait in the queue.
import * as z from '#shared/validation.ts';
import { mintScanCredential } from '../identity/api-keys.ts';
import type { IdentityStore } from '../identity/identity-store.ts';
import type { RegistryStore } from '../registries/registry-settings.ts';
import { registryOf } from '#shared/image-reference/image-reference.ts';
import type { ScanStore } from '../scans/scan-store.ts';
import type { PipelineSettings } from './pipeline-settings.ts';
import type { ScanRunner } from './scan-runner.ts';

export const scanRequestMessageSchema = z.object({
  scanId: z.string().check(z.minLength(1)),
  orgId: z.string().check(z.minLength(1)),
  image: z.string().check(z.minLength(1)),
  scanners: z.array(z.string()),
  requestedAt: z.string(),
});

export interface DispatchDeps {
  scans: ScanStore;
  identity: IdentityStore;
  runner: ScanRunner;
  registries: Pick<RegistryStore, 'getRegistry'>;
  settings: Pick<PipelineSettings, 'apiUrl' | 'scanTimeoutMs' | 'caps'>;
  now: () => Date;
}

/** Thrown when the scan must stay in the queue for now: the message is retried later. */
export class ScanDeferredError extends Error {}

export type DispatchOutcome = 'launched' | 'skipped';

export async function dispatchScan(message: z.infer<typeof scanRequestMessageSchema>, deps: DispatchDeps): Promise<DispatchOutcome> {
  const now = deps.now();
  const deadline = new Date(now.getTime() + deps.settings.scanTimeoutMs).toISOString();
  const outcome = await deps.scans.startScan(
    message.orgId,
    message.scanId,
    { startedAt: now.toISOString(), updatedAt: now.toISOString(), deadline, progress: { stage: 'starting', percent: 0 } },
    deps.settings.caps,
  );
  if (outcome === 'not-queued') return 'skipped';
  if (outcome === 'at-capacity') throw new ScanDeferredError(`Scan ${message.scanId} waits: the running-scan cap is reached`);

  let taskArn: string;
  try {
    const uploadKey = await mintScanCredential(message.orgId, message.scanId, deadline, deps);
    const registry = await deps.registries.getRegistry(message.orgId, registryOf(message.image));
    taskArn = await deps.runner.runTask({
      scanId: message.scanId,
      orgId: message.orgId,
      image: message.image,
      scanners: message.scanners,
      apiUrl: deps.settings.apiUrl,
      uploadKey,
      registry: { allowPlainHttp: registry?.allowPlainHttp ?? false, credentials: Boolean(registry?.sealedPassword) },
    });
  } catch (error) {
    // Not started after all: put it back in the queue's hands rather than leave it stranded.
    await deps.scans.transitionScan(message.orgId, message.scanId, ['IN_PROGRESS'], { status: 'QUEUED', updatedAt: deps.now().toISOString() });
    throw error;
  }
  await deps.scans.transitionScan(message.orgId, message.scanId, ['IN_PROGRESS'], { taskArn, updatedAt: deps.now().toISOString() });
  return 'launched';
}
