// Rate limiting: the policies the product enforces and the port that enforces them atomically.
import type { RateLimitDecision } from '../errors.ts';

export interface RateLimitPolicy {
  /** Named in the RateLimit-Policy header. */
  name: string;
  limit: number;
  windowSeconds: number;
}

export const SCAN_SUBMISSIONS: RateLimitPolicy = { name: 'scans', limit: 10, windowSeconds: 60 };
export const CREDENTIAL_CREATION: RateLimitPolicy = { name: 'credentials', limit: 10, windowSeconds: 60 };

export interface RateLimiter {
  /**
   * Counts one request by `subject` against a rolling window; exact under concurrency.
   * Takes a clock, not an instant: a request that loses a race re-reads the time.
   */
  consume(policy: RateLimitPolicy, subject: string, clock: () => Date): Promise<RateLimitDecision>;
}
