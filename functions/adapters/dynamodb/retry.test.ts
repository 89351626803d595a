// The retry helper's bound and backoff, with its pause recorded instead of waited for.
import { expect, it } from 'vitest';
import { DEFAULT_RETRY, TRY_AGAIN, withRetries, type RetryPolicy } from './retry.ts';

function recording(random: number): { policy: RetryPolicy; pauses: number[] } {
  const pauses: number[] = [];
  return { pauses, policy: { ...DEFAULT_RETRY, random: () => random, sleep: async (ms) => void pauses.push(ms) } };
}

it('gives up after the bound, with the error it is given, having paused between attempts only', async () => {
  const { policy, pauses } = recording(0.999_999);
  let attempts = 0;
  const run = withRetries(
    async () => (attempts++, TRY_AGAIN),
    () => new Error('still contended'),
    policy,
  );
  await expect(run).rejects.toThrow('still contended');
  expect(attempts).toBe(DEFAULT_RETRY.attempts);
  // Exponential up to the cap: 20, 40, 80, … 1000 at the top of the jitter's range.
  expect(pauses).toEqual([19, 39, 79, 159, 319, 639, 999]);
});

it('pauses a random share of the exponential step (full jitter)', async () => {
  const { policy, pauses } = recording(0.5);
  await expect(
    withRetries(
      async () => TRY_AGAIN,
      () => new Error('x'),
      { ...policy, attempts: 4 },
    ),
  ).rejects.toThrow();
  expect(pauses).toEqual([10, 20, 40]);
});

it('returns the first outcome that is not TRY_AGAIN, including undefined', async () => {
  const { policy, pauses } = recording(0.5);
  const outcomes = [TRY_AGAIN, TRY_AGAIN, undefined, 'never reached'] as const;
  let attempts = 0;
  await expect(
    withRetries(
      async () => outcomes[attempts++],
      () => new Error('x'),
      policy,
    ),
  ).resolves.toBeUndefined();
  expect(attempts).toBe(3);
  expect(pauses).toHaveLength(2);
});

it('does not retry an attempt that throws', async () => {
  const { policy } = recording(0.5);
  let attempts = 0;
  const run = withRetries(
    async () => {
      attempts++;
      throw new Error('not a race');
    },
    () => new Error('x'),
    policy,
  );
  await expect(run).rejects.toThrow('not a race');
  expect(attempts).toBe(1);
});
