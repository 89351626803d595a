// The layer cache in a deployment: each organisation's entries under layer-cache/<orgId>/ in the
// artifact bucket, reached by a scanner only through URLs this issues, pre-signed for one
// organisation's keys (POST /api/scans/{id}/layer-cache). The task's own role has no access to
// the prefix, so a task, even a compromised one, reaches its own organisation's entries only.
// Entries expire with the bucket's lifecycle rule for layer-cache/ (infra/stacks/stateful-stack.ts).
import { ValidationError, type IssueDetail } from '#shared/errors.ts';
import { LAYER_CACHE_KEY, MAX_LAYER_CACHE_KEYS_PER_REQUEST, type LayerCacheUrls } from '#shared/layer-cache/layer-cache-contract.ts';
import type { Principal } from '../identity/principal.ts';
import { uploadTarget } from './envelope-upload.ts';
import type { ScanStore } from './scan-store.ts';

/** Where entries live in the artifact bucket, one folder per organisation. */
export const LAYER_CACHE_PREFIX = 'layer-cache/';
/** A scan's lifetime, with room: the task asks once, before reading layers, and writes as it reads them. */
export const LAYER_CACHE_URL_TTL_SECONDS = 30 * 60;

export const layerCacheObjectKey = (orgId: string, key: string) => `${LAYER_CACHE_PREFIX}${orgId}/${key}`;

export interface LayerCacheObjects {
  /** A URL that lets its holder GET this one object until it expires (whether or not it exists). */
  presignGet(objectKey: string, expiresInSeconds: number): Promise<string>;
  /** A URL that lets its holder PUT this one object until it expires. */
  presignPut(objectKey: string, expiresInSeconds: number): Promise<string>;
}

interface Deps {
  layerCache: LayerCacheObjects;
  scans: Pick<ScanStore, 'getScan'>;
  now: () => Date;
}

function refuseInvalid(keys: readonly string[]): void {
  const issues: IssueDetail[] = [];
  if (keys.length === 0) issues.push({ path: 'keys', message: 'name at least one key' });
  if (keys.length > MAX_LAYER_CACHE_KEYS_PER_REQUEST) issues.push({ path: 'keys', message: `at most ${MAX_LAYER_CACHE_KEYS_PER_REQUEST} keys a request` });
  keys.forEach((key, index) => {
    if (issues.length < 50 && !LAYER_CACHE_KEY.test(key)) issues.push({ path: `keys[${index}]`, message: 'expected 64 lowercase hexadecimal characters' });
  });
  if (issues.length > 0) throw new ValidationError('Invalid layer-cache keys', issues);
}

/**
 * GET and PUT URLs for each of `keys` in the caller's organisation's cache. The same callers as
 * an upload (assertMayUpload, uploadTarget): a sensor key of the organisation, or a scanner
 * task's key for its own scan while that scan stands (not deleted, not cancelled).
 */
export async function layerCacheUrls(actor: Principal, scanId: string, keys: readonly string[], deps: Deps): Promise<LayerCacheUrls> {
  refuseInvalid(keys);
  await uploadTarget(actor, scanId, deps);
  const expiresAt = new Date(deps.now().getTime() + LAYER_CACHE_URL_TTL_SECONDS * 1000).toISOString();
  const entries = await Promise.all(
    [...new Set(keys)].map(async (key) => {
      const objectKey = layerCacheObjectKey(actor.orgId, key);
      const [get, put] = await Promise.all([
        deps.layerCache.presignGet(objectKey, LAYER_CACHE_URL_TTL_SECONDS),
        deps.layerCache.presignPut(objectKey, LAYER_CACHE_URL_TTL_SECONDS),
      ]);
      return { key, get, put };
    }),
  );
  return { entries, expiresAt };
}
