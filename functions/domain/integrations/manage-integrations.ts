// Admins manage their organisation's registry integrations: create (the hook secret shown
// once), read, change, delete, rotate the secret. Every change is audited, never with a secret.
import { randomBytes } from 'node:crypto';
import { NotFoundError, ValidationError } from '#shared/errors.ts';
import * as z from '#shared/validation.ts';
import { actorName, type Principal } from '../identity/principal.ts';
import type { PipelineSettings } from '../pipeline/pipeline-settings.ts';
import type { PasswordSealer } from '../registries/registry-settings.ts';
import { auditOrigin } from '../triage/audit-origin.ts';
import type { TriageStore } from '../triage/triage-store.ts';
import type { Integration, IntegrationStore } from './integration.ts';
import { providerOf } from './providers/index.ts';
import { PROVIDER_KINDS } from './providers/provider.ts';
import { MATCH_EVERYTHING } from './push-filter.ts';

const MAX_INTEGRATIONS = 25;
export const DEFAULT_DEDUP_WINDOW_SECONDS = 600;

const glob = (pattern: RegExp, max: number, what: string) =>
  z
    .array(z.string().check(z.minLength(1), z.maxLength(max), z.regex(pattern, `${what} globs use letters, digits, . _ - / * and ?`)))
    .check(z.minLength(1), z.maxLength(20));
const fields = {
  name: z.string().check(z.minLength(1), z.maxLength(100)),
  filters: z.strictObject({
    repositories: z.optional(glob(/^[a-z0-9._\-/*?]+$/, 255, 'repository')),
    tags: z.optional(glob(/^[A-Za-z0-9._\-*?]+$/, 128, 'tag')),
  }),
  scanners: z.nullable(z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.minLength(1), z.maxLength(10))),
  dedupWindowSeconds: z.int().check(z.gte(0), z.lte(86_400)),
  active: z.boolean(),
};
export const createIntegrationSchema = z.strictObject({
  provider: z.enum(PROVIDER_KINDS),
  name: fields.name,
  filters: z.optional(fields.filters),
  scanners: z.optional(fields.scanners),
  dedupWindowSeconds: z.optional(fields.dedupWindowSeconds),
  active: z.optional(fields.active),
});
export const updateIntegrationSchema = z
  .strictObject({
    name: z.optional(fields.name),
    filters: z.optional(fields.filters),
    scanners: z.optional(fields.scanners),
    dedupWindowSeconds: z.optional(fields.dedupWindowSeconds),
    active: z.optional(fields.active),
  })
  .check(z.refine((body) => Object.keys(body).length > 0, 'give at least one of name, filters, scanners, dedupWindowSeconds, active'));

export interface IntegrationAdminDeps {
  integrations: IntegrationStore;
  sealer: PasswordSealer;
  triage: Pick<TriageStore, 'appendAudit'>;
  settings: Pick<PipelineSettings, 'availableScanners'>;
  now: () => Date;
}

export const integrationSealingContext = (orgId: string, integrationId: string) => `integration-secret\0${orgId}\0${integrationId}`;
export const hookPath = (integrationId: string) => `/api/hooks/${integrationId}`;

/** What the API shows of an integration: never its secret. */
export function integrationView(integration: Integration) {
  const { id, provider, name, filters, scanners, dedupWindowSeconds, active, createdAt, updatedAt, updatedBy } = integration;
  const { title, authentication } = providerOf(provider);
  return {
    id,
    provider,
    providerTitle: title,
    name,
    hookUrl: hookPath(id),
    authentication,
    filters,
    scanners,
    dedupWindowSeconds,
    active,
    createdAt,
    updatedAt,
    updatedBy,
  };
}

const notFound = (integrationId: string) => new NotFoundError(`Integration ${integrationId} not found`);

function checkScanners(scanners: string[] | null | undefined, available: readonly string[]): void {
  const unknown = (scanners ?? []).map((scanner, i) => ({ scanner, i })).filter(({ scanner }) => !available.includes(scanner));
  if (unknown.length > 0)
    throw new ValidationError(
      `Unavailable scanner requested; available: ${available.join(', ')}`,
      unknown.map(({ scanner, i }) => ({ path: `scanners[${i}]`, message: `"${scanner}" is not available here` })),
    );
}

async function newSecret(orgId: string, integrationId: string, sealer: PasswordSealer) {
  const secret = `hg_hk_${randomBytes(24).toString('hex')}`;
  return { secret, sealedSecret: await sealer.seal(secret, integrationSealingContext(orgId, integrationId)) };
}

export async function createIntegration(actor: Principal, body: z.infer<typeof createIntegrationSchema>, deps: IntegrationAdminDeps) {
  checkScanners(body.scanners, deps.settings.availableScanners);
  if ((await deps.integrations.listIntegrations(actor.orgId)).length >= MAX_INTEGRATIONS)
    throw new ValidationError(`An organisation has at most ${MAX_INTEGRATIONS} integrations; delete one first`);
  const at = deps.now().toISOString();
  const id = `int_${randomBytes(12).toString('base64url')}`;
  const { secret, sealedSecret } = await newSecret(actor.orgId, id, deps.sealer);
  const integration: Integration = {
    id,
    orgId: actor.orgId,
    provider: body.provider,
    name: body.name,
    filters: { ...MATCH_EVERYTHING, ...body.filters },
    scanners: body.scanners ?? null,
    dedupWindowSeconds: body.dedupWindowSeconds ?? DEFAULT_DEDUP_WINDOW_SECONDS,
    active: body.active ?? true,
    sealedSecret,
    createdAt: at,
    updatedAt: at,
    updatedBy: actorName(actor),
  };
  await deps.integrations.createIntegration(integration);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, new Date(at)),
    action: 'integration.create',
    target: id,
    after: integrationView(integration),
  });
  return { ...integrationView(integration), secret };
}

async function existing(actor: Principal, integrationId: string, deps: Pick<IntegrationAdminDeps, 'integrations'>): Promise<Integration> {
  const integration = await deps.integrations.getIntegration(actor.orgId, integrationId);
  if (!integration) throw notFound(integrationId);
  return integration;
}

export const getIntegration = async (actor: Principal, integrationId: string, deps: Pick<IntegrationAdminDeps, 'integrations'>) =>
  integrationView(await existing(actor, integrationId, deps));

export const listIntegrations = async (actor: Principal, deps: Pick<IntegrationAdminDeps, 'integrations'>) =>
  (await deps.integrations.listIntegrations(actor.orgId)).sort((a, b) => a.createdAt.localeCompare(b.createdAt)).map(integrationView);

export async function updateIntegration(actor: Principal, integrationId: string, body: z.infer<typeof updateIntegrationSchema>, deps: IntegrationAdminDeps) {
  checkScanners(body.scanners, deps.settings.availableScanners);
  const before = await existing(actor, integrationId, deps);
  const at = deps.now().toISOString();
  const after: Integration = {
    ...before,
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.filters !== undefined ? { filters: { ...before.filters, ...body.filters } } : {}),
    ...(body.scanners !== undefined ? { scanners: body.scanners } : {}),
    ...(body.dedupWindowSeconds !== undefined ? { dedupWindowSeconds: body.dedupWindowSeconds } : {}),
    ...(body.active !== undefined ? { active: body.active } : {}),
    updatedAt: at,
    updatedBy: actorName(actor),
  };
  await deps.integrations.putIntegration(after);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, new Date(at)),
    action: 'integration.update',
    target: integrationId,
    before: integrationView(before),
    after: integrationView(after),
  });
  return integrationView(after);
}

export async function deleteIntegration(actor: Principal, integrationId: string, deps: IntegrationAdminDeps): Promise<void> {
  const removed = await deps.integrations.deleteIntegration(actor.orgId, integrationId);
  if (!removed) throw notFound(integrationId);
  await deps.triage.appendAudit(actor.orgId, {
    ...auditOrigin(actor, deps.now()),
    action: 'integration.delete',
    target: integrationId,
    before: integrationView(removed),
  });
}

/** A new secret, shown once; the old one stops working at once (a registry's hook setting holds one value). */
export async function rotateIntegrationSecret(actor: Principal, integrationId: string, deps: IntegrationAdminDeps) {
  const before = await existing(actor, integrationId, deps);
  const { secret, sealedSecret } = await newSecret(actor.orgId, integrationId, deps.sealer);
  const now = deps.now();
  await deps.integrations.putIntegration({ ...before, sealedSecret, updatedAt: now.toISOString(), updatedBy: actorName(actor) });
  await deps.triage.appendAudit(actor.orgId, { ...auditOrigin(actor, now), action: 'integration.rotate-secret', target: integrationId });
  return { id: integrationId, secret };
}
