// What the scanner and the control plane agree on about layer-cache entries: the form of a key,
// the largest entry either side handles, how many keys one request for URLs may name, and the
// answer to that request (POST /api/scans/{id}/layer-cache), which the route documents and the
// scanner task's client validates.
import * as z from '#shared/validation.ts';

/** Keys are lowercase SHA-256 hex (scanner-task/layer-cache/layer-cache-key.ts): safe as a file name and as an object key. */
export const LAYER_CACHE_KEY = /^[0-9a-f]{64}$/;

/** An entry larger than this is neither stored nor read back (a layer of two million entries encodes to well under it). */
export const MAX_LAYER_CACHE_ENTRY_BYTES = 256 * 1024 * 1024;

/**
 * Keys per request for URLs. Not the envelope's 1,000 layers (ENVELOPE_MAXIMA.layers counts
 * empty history steps too): an image that Docker's overlay storage can run has at most 128
 * layers, so one request covers nearly every image, and its answer (two signed URLs a key, each
 * over a kilobyte with a session token) stays a few hundred KB. A deeper image asks in batches.
 */
export const MAX_LAYER_CACHE_KEYS_PER_REQUEST = 128;

/** Where one entry is read (GET: 404, or 403 where S3 may not say, when absent) and written (PUT, replacing any). */
export const layerCacheUrlSchema = z.object({ key: z.string().check(z.regex(LAYER_CACHE_KEY)), get: z.url(), put: z.url() });

export const layerCacheUrlsSchema = z.object({
  /** One per distinct key asked for, in the order asked. */
  entries: z.array(layerCacheUrlSchema),
  /** When every URL of the answer stops working. */
  expiresAt: z.iso.datetime({ offset: true }),
});

export type LayerCacheUrls = z.infer<typeof layerCacheUrlsSchema>;
