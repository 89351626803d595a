// POST /api/hooks/{integrationId}: a registry says images were pushed. The request proves it
// knows the integration's secret the way its provider authenticates (providers/), is limited
// per integration, and starts at most one scan per pushed image within the integration's
// de-duplication window: the same image pushed again under another tag joins that scan's
// tags, and a provider's redelivery of the same notification changes nothing.
import { RateLimitedError, UnauthorizedError, ValidationError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import type { RateLimiter, RateLimitPolicy } from '../rate-limit/rate-limiter.ts';
import type { PasswordSealer } from '../registries/registry-settings.ts';
import { submitScans, type SubmitDeps } from '../scans/submit-scans.ts';
import type { Integration, IntegrationStore } from './integration.ts';
import { integrationSealingContext } from './manage-integrations.ts';
import { providerOf } from './providers/index.ts';
import type { InboundHookRequest, PushedImage } from './providers/provider.ts';
import { filteredOut } from './push-filter.ts';

/** Per integration: a registry in a push storm is slowed, and so is anyone guessing its secret. */
export const HOOK_DELIVERIES: RateLimitPolicy = { name: 'hooks', limit: 120, windowSeconds: 60 };
/** The scanners of an integration that names none: what POST /api/scans runs by default. */
const DEFAULT_SCANNERS = ['harborguard'];

export interface HookDeps extends SubmitDeps {
  integrations: IntegrationStore;
  sealer: PasswordSealer;
  rateLimiter: RateLimiter;
}

export type PushOutcome =
  | { image: string; tag: string | null; outcome: 'scan-started'; scanId: string }
  /** Pushed again within the window: the tag joined the scan already started. */
  | { image: string; tag: string | null; outcome: 'joined'; scanId: string }
  | { image: string; tag: string | null; outcome: 'skipped'; reason: string };

export type HookOutcome =
  { status: 'accepted'; eventId: string; pushes: PushOutcome[] } | { status: 'duplicate'; eventId: string } | { status: 'ignored'; reason: string };

/** The image as the push-window records it: by digest when the provider names one, else by tag. */
export const imageKeyOf = (image: PushedImage) => `${image.host}/${image.repository}${image.digest ? `@${image.digest}` : `:${image.tag ?? 'latest'}`}`;
const referenceOf = (image: PushedImage) => `${image.host}/${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;

export async function receiveHook(integrationId: string, request: InboundHookRequest, deps: HookDeps): Promise<HookOutcome> {
  const integration = await deps.integrations.findIntegration(integrationId);
  // Unknown and wrong secret answer alike, so a hook URL can not be probed for existence.
  const refused = () => new UnauthorizedError('The hook request is not authenticated for this integration');
  if (!integration) throw refused();
  const grant = await deps.rateLimiter.consume(HOOK_DELIVERIES, `integration:${integration.id}`, deps.now);
  if (!grant.allowed) throw new RateLimitedError(`Rate limit exceeded: ${grant.limit} hook requests per ${grant.windowSeconds} s`, grant);
  const provider = providerOf(integration.provider);
  const secret = await deps.sealer.open(integration.sealedSecret, integrationSealingContext(integration.orgId, integration.id));
  if (!provider.authenticate(request, secret)) throw refused();
  if (!integration.active) return { status: 'ignored', reason: 'The integration is paused' };

  const parsed = provider.parse(request);
  if (parsed.kind === 'ignored') return { status: 'ignored', reason: parsed.reason };
  const at = deps.now();
  if (!(await deps.integrations.claimHookEvent(integration.orgId, integration.id, parsed.eventId, at))) return { status: 'duplicate', eventId: parsed.eventId };
  try {
    const pushes: PushOutcome[] = [];
    // One image at a time: a notification lists few, and each claim must see the ones before it.
    for (const image of parsed.images) pushes.push(await receivePush(integration, image, parsed.eventId, at, deps));
    return { status: 'accepted', eventId: parsed.eventId, pushes };
  } catch (error) {
    // Not received after all: the provider's retry must be processed, not taken for a duplicate.
    await deps.integrations.releaseHookEvent(integration.orgId, integration.id, parsed.eventId);
    throw error;
  }
}

async function receivePush(integration: Integration, image: PushedImage, eventId: string, at: Date, deps: HookDeps): Promise<PushOutcome> {
  const named = { image: `${image.host}/${image.repository}`, tag: image.tag };
  const reason = filteredOut(image, integration.filters);
  if (reason) return { ...named, outcome: 'skipped', reason };
  const imageKey = imageKeyOf(image);
  const claim = await deps.integrations.claimPush(integration.orgId, imageKey, image.tag, at, integration.dedupWindowSeconds);
  if (!claim.started) return { ...named, outcome: 'joined', scanId: claim.record.scanId };
  // The integration acts for its organisation; submitScans reads only the organisation from it.
  const actor: Principal = { orgId: integration.orgId, role: 'developer', kind: 'api_key', credentialId: integration.id, sensor: false };
  try {
    const request = {
      image: referenceOf(image),
      scanners: integration.scanners ?? DEFAULT_SCANNERS,
      trigger: { kind: 'registry-push' as const, integrationId: integration.id, provider: integration.provider, eventId, imageKey },
    };
    const [scan] = await submitScans(actor, [request], () => 'image', deps);
    await deps.integrations.recordPushScan(integration.orgId, imageKey, scan!.id);
    return { ...named, outcome: 'scan-started', scanId: scan!.id };
  } catch (error) {
    await deps.integrations.recordPushScan(integration.orgId, imageKey, null);
    // An image this deployment will not scan (a registry the egress policy refuses): said, not fatal to the others.
    if (error instanceof ValidationError) return { ...named, outcome: 'skipped', reason: error.message };
    throw error;
  }
}
