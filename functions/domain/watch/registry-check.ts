// Scheduled registry checks (docs/WATCH.md): a HEAD of each watched tag's manifest, with the
// organisation's stored credentials for that registry. A digest that moved means the tag now
// names another image: a real scan of it is started. An unchanged digest needs nothing here:
// its inventory is re-matched whenever advisories change. Planning lists the watched tags as a
// re-match run does and queues them in batches on the watch queue; the job checks each batch.
import { registryOf } from '#shared/image-reference/image-reference.ts';
import { parseLocalSource } from '#shared/image-reference/local-source.ts';
import { logger } from '#shared/logging/logger.ts';
import { RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import { plainHttpAllowed } from '#shared/registry/registry-policy.ts';
import type { Principal } from '../identity/principal.ts';
import { sealingContext, type PasswordSealer, type RegistryStore, type StoredRegistrySettings } from '../registries/registry-settings.ts';
import { submitScans, type SubmitDeps } from '../scans/submit-scans.ts';
import { BATCH_SIZE, watchedTags, type PlanDeps, type WatchQueue } from './rematch-run.ts';

/** How the check reaches one registry: what a scan of it would use. */
export interface RegistryAccess {
  credentials?: { username: string; password: string };
  /** Loopback registries, and those the organisation allows plain HTTP for, are tried over HTTP after HTTPS. */
  plainHttpFallback: boolean;
  tokenRealms: readonly string[];
}

export interface ManifestDigests {
  /** The digest the registry serves for the tag now (the manifest a scan would pull first). */
  manifestDigest(image: { name: string; tag: string }, access: RegistryAccess): Promise<string>;
}

export interface RegistryCheckBatch {
  kind: 'check';
  orgId: string;
  tags: Array<{ tagId: string; scanId: string }>;
}

export const CHECK_OUTCOMES = ['moved', 'unchanged', 'skipped', 'failed'] as const;
export type CheckCounts = Record<(typeof CHECK_OUTCOMES)[number], number>;

export type CheckDeps = SubmitDeps & { registries: RegistryStore; sealer: PasswordSealer; digests: ManifestDigests };

/** Lists the watched tags of every organisation (or one) and queues them to be checked. */
export async function planRegistryChecks(deps: Omit<PlanDeps, 'runs'> & { watchQueue: WatchQueue }, orgId?: string): Promise<number> {
  const byOrg = await watchedTags(orgId, deps, deps.now());
  const batches: RegistryCheckBatch[] = [];
  for (const [org, tags] of byOrg) {
    for (let i = 0; i < tags.length; i += BATCH_SIZE) {
      batches.push({ kind: 'check', orgId: org, tags: tags.slice(i, i + BATCH_SIZE).map(({ tagId, scanId }) => ({ tagId, scanId })) });
    }
  }
  await deps.watchQueue.send(batches);
  logger.info('registry checks planned', { organizations: byOrg.size, batches: batches.length });
  return batches.length;
}

async function accessTo(orgId: string, host: string, stored: StoredRegistrySettings | undefined, sealer: PasswordSealer): Promise<RegistryAccess> {
  const credentials =
    stored?.sealedPassword && stored.username
      ? { username: stored.username, password: await sealer.open(stored.sealedPassword, sealingContext(orgId, host)) }
      : undefined;
  return {
    ...(credentials ? { credentials } : {}),
    plainHttpFallback: plainHttpAllowed(`${host}/`, stored?.allowPlainHttp ?? false),
    tokenRealms: stored?.tokenRealms ?? [],
  };
}

export async function checkTags(batch: RegistryCheckBatch, deps: CheckDeps): Promise<CheckCounts> {
  const counts: CheckCounts = { moved: 0, unchanged: 0, skipped: 0, failed: 0 };
  const access = new Map<string, Promise<RegistryAccess>>();
  // A registry that did not answer is not asked again for the rest of the batch: one dead host
  // costs one budget, not one per tag.
  const unreachable = new Set<string>();
  // The organisation's own checks start its scans, as an integration's pushes do.
  const actor: Principal = { orgId: batch.orgId, role: 'developer', kind: 'api_key', credentialId: 'harborguard-registry-check', sensor: false };
  for (const tag of batch.tags) {
    try {
      const scan = await deps.scans.getScan(batch.orgId, tag.scanId);
      const { name, tag: tagName, digest } = scan?.image ?? {};
      // Only a registry image named by tag can move; a digest is fixed, and a local source has no registry.
      if (!scan || !name || !tagName || !digest || parseLocalSource(name)) {
        counts.skipped += 1;
        continue;
      }
      const host = registryOf(name);
      if (unreachable.has(host)) {
        counts.failed += 1;
        continue;
      }
      if (!access.has(host))
        access.set(
          host,
          deps.registries.getRegistry(batch.orgId, host).then((stored) => accessTo(batch.orgId, host, stored, deps.sealer)),
        );
      const current = await deps.digests.manifestDigest({ name, tag: tagName }, await access.get(host)!).catch((error: unknown) => {
        if (error instanceof RegistryUnreachableError) unreachable.add(host);
        throw error;
      });
      if (current === digest) {
        counts.unchanged += 1;
        continue;
      }
      await submitScans(
        actor,
        [{ image: `${name}:${tagName}`, scanners: scan.scanners, trigger: { kind: 'registry-check', previousDigest: digest, digest: current } }],
        () => 'image',
        deps,
      );
      counts.moved += 1;
    } catch (error) {
      // A registry down or a credential revoked fails that tag's check alone; tomorrow's check tries again.
      logger.warn('registry check failed', { orgId: batch.orgId, scanId: tag.scanId, error: error as Error });
      counts.failed += 1;
    }
  }
  logger.info('registry checks done', { orgId: batch.orgId, ...counts });
  return counts;
}
