// Bounded, jittered retries for the adapters' optimistic loops: a lost race on a conditional
// write, a transaction cancelled by throttling or a conflicting transaction, unprocessed batch
// items. Unbounded loops without a pause turn a hot item or a throttled table into a Lambda
// that spins until its timeout; a bound and "full jitter" backoff (each pause uniform in
// [0, min(cap, base·2ⁿ)], as AWS's SDKs do) spread contending writers apart and then give up.

/** What an attempt returns to ask for another one. */
export const TRY_AGAIN: unique symbol = Symbol('try again');

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Injectable for tests: the pause and the jitter's randomness. */
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

/** At most ~2.3 s of pauses in all: well inside any Lambda's timeout. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 8,
  baseDelayMs: 20,
  maxDelayMs: 1000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** The pause before retry number `retry` (1 for the second attempt). */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  return Math.floor(policy.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1)));
}

/**
 * Runs `attempt` until it returns something other than TRY_AGAIN, pausing between attempts;
 * after `policy.attempts` tries, throws what `exhausted` makes.
 */
export async function withRetries<T>(attempt: () => Promise<T | typeof TRY_AGAIN>, exhausted: () => Error, policy: RetryPolicy = DEFAULT_RETRY): Promise<T> {
  for (let tried = 0; tried < policy.attempts; tried++) {
    if (tried > 0) await policy.sleep(backoffDelay(policy, tried));
    const outcome = await attempt();
    if (outcome !== TRY_AGAIN) return outcome;
  }
  throw exhausted();
}
