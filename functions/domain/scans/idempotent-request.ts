// Idempotency-Key on POST /api/scans: the same key with the same body gives back the same
// answer (the same scans, queued once); the same key with another body is refused (422).
import { createHash } from 'node:crypto';
import { ConflictError, UnprocessableError, ValidationError } from '../errors.ts';

export interface StoredResponse {
  statusCode: number;
  body: unknown;
}

export interface IdempotencyStore {
  /** Claims the key for a request; the existing record when the key was used before. */
  claim(orgId: string, key: string, bodyHash: string, expiresAt: Date): Promise<{ bodyHash: string; response?: StoredResponse } | undefined>;
  complete(orgId: string, key: string, response: StoredResponse): Promise<void>;
  release(orgId: string, key: string): Promise<void>;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;
/** Keys are remembered for a day, as payment APIs do. */
const RETENTION_MS = 24 * 3_600_000;

export async function idempotent(
  orgId: string,
  key: string | undefined,
  body: unknown,
  run: () => Promise<StoredResponse>,
  deps: { idempotency: IdempotencyStore; now: () => Date },
): Promise<StoredResponse> {
  if (key === undefined) return run();
  if (!KEY_PATTERN.test(key)) throw new ValidationError('Invalid Idempotency-Key', [{ path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }]);
  const bodyHash = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  const existing = await deps.idempotency.claim(orgId, key, bodyHash, new Date(deps.now().getTime() + RETENTION_MS));
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
