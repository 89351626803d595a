// How long an organisation gives itself to fix a finding, by severity, counted from first sight.
import type { Severity } from '#shared/envelope/envelope-schema.ts';

export type SlaPolicy = Record<Exclude<Severity, 'INFO'>, number>;

/** Days per severity unless the organisation sets its own. */
export const DEFAULT_SLA_DAYS: SlaPolicy = { CRITICAL: 1, HIGH: 3, MEDIUM: 7, LOW: 14 };

export function slaDeadline(firstSeenAt: string, severity: Severity, policy: SlaPolicy = DEFAULT_SLA_DAYS): string | null {
  if (severity === 'INFO') return null;
  return new Date(Date.parse(firstSeenAt) + policy[severity] * 86_400_000).toISOString();
}
