// Idempotency-Key after a request that died between claiming its key and storing its answer (a
// Lambda timeout): its claim is in progress only for the time the Lambda had left, so a retry
// after that takes the key over, once, while a retry within it is still told to wait (409).
// Against the real table (DynamoDB Local), with the clock injected rather than waited for.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { apiKey, call } from '../../../test/support/http.ts';
import { seedOrganization } from '../../../test/support/seed.ts';
import { startTestStack, type TestStack } from '../../../test/support/test-stack.ts';
import { apiDependencies } from '../../composition/api.ts';
import { ConflictError, UnprocessableError } from '#shared/errors.ts';
import { idempotent, type StoredResponse } from './idempotent-request.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

const REMAINING_MS = 30_000;
const answer: StoredResponse = { statusCode: 202, body: { scanId: 'scn-taken0over' } };
const at = (ms: number) => ({ idempotency: apiDependencies().idempotency, now: () => new Date(ms) });

/** A request that claims `key` at `startedAt` and then never finishes, as one a timeout stopped. */
async function stoppedRequest(orgId: string, key: string, body: unknown, startedAt: number, remainingMs = REMAINING_MS): Promise<void> {
  await new Promise<void>((claimed) => {
    void idempotent(orgId, key, body, () => (claimed(), new Promise<StoredResponse>(() => {})), at(startedAt), remainingMs);
  });
}

/** A retry that counts how often its work actually runs. */
function retry(orgId: string, key: string, body: unknown, now: number) {
  const runs = { count: 0 };
  const result = idempotent(orgId, key, body, async () => (runs.count++, answer), at(now), REMAINING_MS);
  return { runs, result };
}

it('lets a retry take over a stopped request after its remaining time, once; within it, 409', async () => {
  const orgId = `org-idem-${Date.now()}`;
  const body = { image: 'ghcr.io/acme/api:3.0.0' };
  const t0 = Date.now();
  await stoppedRequest(orgId, 'retry-me', body, t0);

  const early = retry(orgId, 'retry-me', body, t0 + REMAINING_MS - 1);
  await expect(early.result).rejects.toBeInstanceOf(ConflictError);
  expect(early.runs.count).toBe(0);

  const late = retry(orgId, 'retry-me', body, t0 + REMAINING_MS + 1);
  await expect(late.result).resolves.toEqual(answer);
  expect(late.runs.count).toBe(1);

  // The answer is now the key's for the rest of the day: replayed, not run again.
  const replay = retry(orgId, 'retry-me', body, t0 + 3_600_000);
  await expect(replay.result).resolves.toEqual(answer);
  expect(replay.runs.count).toBe(0);
  // Another body under the key stays refused, whether or not the first request finished.
  await stoppedRequest(orgId, 'other-body', body, t0);
  await expect(retry(orgId, 'other-body', { image: 'ghcr.io/acme/api:3.0.1' }, t0 + REMAINING_MS + 1).result).rejects.toBeInstanceOf(UnprocessableError);
});

it('lets only one of two simultaneous retries take over a stopped request', async () => {
  const orgId = `org-idem-race-${Date.now()}`;
  const body = { image: 'ghcr.io/acme/api:3.1.0' };
  const t0 = Date.now();
  await stoppedRequest(orgId, 'race', body, t0);
  const retries = [retry(orgId, 'race', body, t0 + REMAINING_MS + 1), retry(orgId, 'race', body, t0 + REMAINING_MS + 1)];
  const outcomes = await Promise.allSettled(retries.map((r) => r.result));
  expect(retries[0]!.runs.count + retries[1]!.runs.count).toBe(1);
  // The other one either waited (409) or, if it came after the winner finished, got its answer.
  for (const outcome of outcomes) {
    if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConflictError);
    else expect(outcome.value).toEqual(answer);
  }
});

it('takes over through POST /api/scans with the time the handler had left', async () => {
  const org = await seedOrganization('idempotency-takeover');
  const admin = apiKey(org.apiKeys.admin);
  // The body as the handler sees it, defaults filled in, so that its hash is the request's.
  const body = { image: 'ghcr.io/acme/api:3.2.0', scanners: ['harborguard'] };
  const before = (await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total;

  await stoppedRequest(org.orgId, 'stopped-a-minute-ago', body, Date.now() - 60_000);
  const retried = await call(stack.baseUrl, 'POST', '/api/scans', admin, body, { 'Idempotency-Key': 'stopped-a-minute-ago' });
  expect(retried.status).toBe(202);
  const replayed = await call(stack.baseUrl, 'POST', '/api/scans', admin, body, { 'Idempotency-Key': 'stopped-a-minute-ago' });
  expect(replayed.body).toEqual(retried.body);
  expect((await call(stack.baseUrl, 'GET', '/api/scans', admin)).body.meta.total).toBe(before + 1);

  await stoppedRequest(org.orgId, 'still-running', body, Date.now(), 600_000);
  const waiting = await call(stack.baseUrl, 'POST', '/api/scans', admin, body, { 'Idempotency-Key': 'still-running' });
  expect(waiting.status).toBe(409);
});
