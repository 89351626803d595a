// Rate limiting: the policies the product enforces and the port that enforces them atomically.
import type { RateLimitDecision } from '#shared/errors.ts';

export interface RateLimitPolicy {
  /** Named in the RateLimit-Policy header. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export const SCAN_SUBMISSIONS: RateLimitPolicy = { name: 'scans', limit: 10, windowSeconds: 60 };
export const CREDENTIAL_CREATION: RateLimitPolicy = { name: 'credentials', limit: 10, windowSeconds: 60 };
/** Deliveries a user asks for by hand (a test event, a redelivery): each is a request to someone else's server. */
export const MANUAL_DELIVERIES: RateLimitPolicy = { name: 'webhook-sends', limit: 20, windowSeconds: 60 };
/** Re-match runs an organisation starts by hand (POST /api/watch/run): each re-reads every watched tag. */
export const MANUAL_WATCH_RUNS: RateLimitPolicy = { name: 'watch-runs', limit: 1, windowSeconds: 300 };
/**
 * Failed authentications per source address. Counted apart from every credential's own budget,
 * so that a guesser is slowed down without spending, or locking out, anyone else's.
 */
export const AUTHENTICATION_FAILURES: RateLimitPolicy = { name: 'auth-failures', limit: 20, windowSeconds: 60 };

/** consume()'s answer: an accepted request also gets the instant it was counted at, to refund it by. */
export type RateLimitGrant = RateLimitDecision & { acceptedAt?: number };

export interface RateLimiter {
  /**
   * Counts one request by `subject` against a rolling window; exact under concurrency.
   * Takes a clock, not an instant: a request that loses a race re-reads the time.
   */
  consume(policy: RateLimitPolicy, subject: string, clock: () => Date): Promise<RateLimitGrant>;
  /** Gives back the slot a consume() accepted at `acceptedAt` (nothing if it has left the window). */
  refund(policy: RateLimitPolicy, subject: string, acceptedAt: number, clock: () => Date): Promise<RateLimitDecision>;
  /** The decision consume() would take now, without counting anything. */
  peek(policy: RateLimitPolicy, subject: string, clock: () => Date): Promise<RateLimitDecision>;
}
