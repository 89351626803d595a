// Admins manage their organisation's registry settings (PUT/GET/DELETE /api/registries/{host});
// every change is audited without the password. A scanner task reads the credentials of its
// own scan's registry, and only while that scan runs.
import * as z from '#shared/validation.ts';
import { checkHostLiteral, isHostName } from '#shared/egress/egress-policy.ts';
import { ForbiddenError, NotFoundError, ValidationError } from '#shared/errors.ts';
import type { PipelineSettings } from '../pipeline/pipeline-settings.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import { registryOf } from '#shared/image-reference/image-reference.ts';
import type { ScanStore } from '../scans/scan-store.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import {
  registryView,
  sealingContext,
  type PasswordSealer,
  type RegistrySettings,
  type RegistryStore,
  type StoredRegistrySettings,
} from './registry-settings.ts';

export const registrySettingsSchema = z
  .strictObject({
    username: z.optional(z.string().check(z.minLength(1), z.maxLength(256), z.regex(/^[^\s:]+$/, 'must not contain spaces or ":"'))),
    password: z.optional(z.string().check(z.minLength(1), z.maxLength(8192))),
    allowPlainHttp: z.optional(z.boolean()),
    /** Token services on other hosts that may receive the credentials (e.g. auth.example.com for registry.example.com). */
    tokenRealms: z.optional(
      z.array(z.string().check(z.refine(isHostName, 'must be a host name such as auth.example.com, not an address or a URL'))).check(z.maxLength(8)),
    ),
  })
  .check(
    z.refine((body) => (body.username === undefined) === (body.password === undefined), { message: 'give username and password together', path: ['password'] }),
    z.refine((body) => body.password !== undefined || body.allowPlainHttp === true, 'give credentials (username and password), allowPlainHttp: true, or both'),
  );

export type RegistrySettingsChange = z.infer<typeof registrySettingsSchema>;

interface Deps {
  registries: RegistryStore;
  sealer: PasswordSealer;
  triage: Pick<TriageStore, 'appendAudit'>;
  settings: Pick<PipelineSettings, 'egress'>;
  now: () => Date;
}

const notFound = (host: string) => new NotFoundError(`No settings for registry ${host}`);

/** Replaces the registry's settings (PUT semantics); `created` tells a new entry from a replaced one. */
export async function putRegistrySettings(
  actor: Principal,
  host: string,
  change: RegistrySettingsChange,
  deps: Deps,
): Promise<{ settings: RegistrySettings; created: boolean }> {
  // Settings (plain HTTP, credentials) for a host no scan may reach would only aim them at it.
  const verdict = checkHostLiteral(deps.settings.egress, host);
  if (!verdict.allowed) throw new ValidationError(`Registry ${host} is not reachable by scans`, [{ path: 'host', message: verdict.reason }]);
  const at = deps.now().toISOString();
  const existing = await deps.registries.getRegistry(actor.orgId, host);
  const stored: StoredRegistrySettings = {
    orgId: actor.orgId,
    host,
    username: change.username ?? null,
    sealedPassword: change.password === undefined ? null : await deps.sealer.seal(change.password, sealingContext(actor.orgId, host)),
    allowPlainHttp: change.allowPlainHttp ?? false,
    tokenRealms: [...new Set(change.tokenRealms ?? [])],
    createdAt: existing?.createdAt ?? at,
    updatedAt: at,
    updatedBy: actorName(actor),
  };
  await deps.registries.putRegistry(stored);
  const settings = registryView(stored);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, new Date(at)),
    action: 'registry.put',
    target: host,
    ...(existing ? { before: registryView(existing) } : {}),
    after: settings,
  });
  return { settings, created: !existing };
}

export async function getRegistrySettings(actor: Principal, host: string, deps: Pick<Deps, 'registries'>): Promise<RegistrySettings> {
  const stored = await deps.registries.getRegistry(actor.orgId, host);
  if (!stored) throw notFound(host);
  return registryView(stored);
}

export async function listRegistrySettings(actor: Principal, deps: Pick<Deps, 'registries'>): Promise<RegistrySettings[]> {
  return (await deps.registries.listRegistries(actor.orgId)).map(registryView);
}

export async function deleteRegistrySettings(actor: Principal, host: string, deps: Deps): Promise<void> {
  const removed = await deps.registries.deleteRegistry(actor.orgId, host);
  if (!removed) throw notFound(host);
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, deps.now()), action: 'registry.delete', target: host, before: registryView(removed) });
}

/**
 * The pull credentials for a running scan, for its own scanner task only (the scan-scoped
 * upload key the dispatcher minted). They travel in this authenticated response rather than in
 * the task's container overrides, which ECS shows to DescribeTasks and CloudTrail records.
 */
export async function registryCredentialsForScan(
  actor: Principal,
  scanId: string,
  deps: Pick<Deps, 'registries' | 'sealer'> & { scans: Pick<ScanStore, 'getScan'> },
): Promise<{ host: string; username: string; password: string; tokenRealms: string[] }> {
  if (actor.scanId !== scanId) throw new ForbiddenError('Registry credentials are given only to the scanner task of that scan');
  const scan = await deps.scans.getScan(actor.orgId, scanId);
  if (!scan || scan.status !== 'IN_PROGRESS') throw new NotFoundError(`Scan ${scanId} is not running`);
  const host = registryOf(scan.image.name);
  const stored = await deps.registries.getRegistry(actor.orgId, host);
  if (!stored?.sealedPassword || !stored.username) throw notFound(host);
  return {
    host,
    username: stored.username,
    password: await deps.sealer.open(stored.sealedPassword, sealingContext(actor.orgId, host)),
    tokenRealms: stored.tokenRealms,
  };
}
