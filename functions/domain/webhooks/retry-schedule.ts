// When a failed delivery is tried again: about 30 s, 2 min, 10 min, 1 h and 6 h after each
// failure (five retries), each spread by ±20 % jitter so that a receiver that comes back is not
// hit by every queued delivery in the same second.
export const RETRY_DELAYS_SECONDS = [30, 120, 600, 3600, 21_600] as const;

/** Attempts in all: the first and one per retry delay. */
export const MAX_ATTEMPTS = RETRY_DELAYS_SECONDS.length + 1;

/** Consecutive failures that open a subscription's circuit, and how often an open one is probed. */
export const CIRCUIT_THRESHOLD = 5;
export const PROBE_INTERVAL_MS = 3_600_000;

/** The delay before the next attempt after `attempts` attempts; undefined when none is left. */
export function retryDelayMs(attempts: number, random: () => number = Math.random): number | undefined {
  const base = RETRY_DELAYS_SECONDS[attempts - 1];
  if (base === undefined) return undefined;
  return Math.round(base * 1000 * (0.8 + 0.4 * random()));
}
