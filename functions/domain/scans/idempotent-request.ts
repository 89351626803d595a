// Idempotency-Key on POST /api/scans: the same key with the same body gives back the same
// answer (the same scans, queued once); the same key with another body is refused (422).
import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError, ValidationError } from '#shared/errors.ts';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

/** When a claim is made, until when the key is remembered, and until when it is in progress. */
export interface IdempotencyClaim {
  bodyHash: string;
  now: Date;
  expiresAt: Date;
  inProgressUntil: Date;
}

export interface IdempotencyStore {
  /**
   * Claims the key for a request, or takes over a claim of the same body whose in-progress time
   * has passed (its request died); the existing record when the key is used otherwise.
   */
  claim(orgId: string, key: string, claim: IdempotencyClaim): Promise<{ bodyHash: string; response?: StoredResponse } | undefined>;
  complete(orgId: string, key: string, response: StoredResponse): Promise<void>;
  release(orgId: string, key: string): Promise<void>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Keys are remembered for a day, as payment APIs do. */
const RETENTION_MS = 24 * 3_600_000;

/**
 * `remainingMs` is how long the caller may still run (a Lambda's remaining time): past it, a
 * claim that never completed belongs to a request that was stopped, and a retry may take it over.
 */
export async function idempotent(
  orgId: string,
  key: string | undefined,
  body: unknown,
  run: () => Promise<StoredResponse>,
  deps: { idempotency: IdempotencyStore; now: () => Date },
  remainingMs: number,
): Promise<StoredResponse> {
  if (key === undefined) return run();
  if (!KEY_PATTERN.test(key))
    throw new ValidationError('Invalid Idempotency-Key', [{ path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }]);
  const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const now = deps.now();
  const existing = await deps.idempotency.claim(orgId, key, {
    bodyHash,
    now,
    expiresAt: new Date(now.getTime() + RETENTION_MS),
    inProgressUntil: new Date(now.getTime() + remainingMs),
  });
  if (existing) {
    if (existing.bodyHash !== bodyHash) throw new UnprocessableError('This Idempotency-Key was used with a different request body');
    if (!existing.response) throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly');
    return existing.response;
  }
  let response: StoredResponse;
  try {
    response = await run();
  } catch (error) {
    // Nothing was done under this key: let the client retry with it.
    await deps.idempotency.release(orgId, key);
    throw error;
  }
  await deps.idempotency.complete(orgId, key, response);
  return response;
}
