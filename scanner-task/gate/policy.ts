// The CI gate's policy: what makes `harborguard ci` fail. It comes from `.harborguard.yaml`
// (policy-file.ts) and the command's flags, flags winning (mergePolicy).
import { COMPLIANCE_GRADES, SEVERITIES, type Severity } from '#shared/envelope/envelope-schema.ts';
import * as z from '#shared/validation.ts';

/** A severity threshold, or NONE: no severity gate (to gate on compliance or KEV alone, as the default has one). */
export const FAIL_ON = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'NONE'] as const;
/** Levels a `failOnChecks` entry may name instead of a check id; PASS is the level of a check that held. */
export const CHECK_LEVELS_TO_FAIL = ['FATAL', 'WARN', 'INFO'] as const;

const upperCase = <const T extends readonly string[]>(values: T) => z.pipe(z.string().check(z.trim(), z.toUpperCase()), z.enum(values));
const text = z.string().check(z.trim(), z.minLength(1, 'must not be empty'), z.maxLength(2048));

/** `YYYY-MM-DD` (the rule applies through that day, UTC) or an ISO time with its offset. */
const EXPIRES = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?$/;
const expires = z
  .string()
  .check(z.refine((value) => EXPIRES.test(value) && expiryOf(value) !== null, 'expected a date YYYY-MM-DD or an ISO time such as 2025-06-30T12:00:00Z'));

export const ignoreRuleSchema = z.strictObject({
  /** The finding's id or any alias, any case. */
  vulnerability: text,
  /** Glob (`*`) on the package name. */
  package: z.optional(text),
  /** Glob (`*`) on the finding's purl. */
  purl: z.optional(text),
  /** Why it is ignored: required, so every exception explains itself in the output. */
  reason: text,
  expires: z.optional(expires),
});

export const policySchema = z.strictObject({
  failOn: z.optional(upperCase(FAIL_ON)),
  onlyFixed: z.optional(z.boolean()),
  failOnKev: z.optional(z.boolean()),
  maxRiskScore: z.optional(z.number().check(z.gte(0), z.lte(100))),
  minGrade: z.optional(upperCase(COMPLIANCE_GRADES)),
  failOnChecks: z.optional(
    z.array(text.check(z.refine((entry) => entry.toUpperCase() !== 'PASS', 'PASS is the level of a check that held; list FATAL, WARN, INFO or check ids'))),
  ),
  ignore: z.optional(z.array(ignoreRuleSchema)),
  newOnly: z.optional(z.boolean()),
});

export type Policy = z.infer<typeof policySchema>;
export type IgnoreRule = z.infer<typeof ignoreRuleSchema>;
export type FailOn = (typeof FAIL_ON)[number];

/**
 * What applies when neither the policy file nor a flag says otherwise: fail on CRITICAL findings.
 * trivy exits 0 and grype does not fail unless told to, but they are scanners; `harborguard ci`
 * is a gate, and a gate that passes everything until configured is one nobody notices is open.
 * CRITICAL is the threshold no one argues with (the rest is each team's choice), and
 * `failOn: NONE` turns it off for a policy that gates only on compliance, checks or KEV.
 */
export const DEFAULT_POLICY: Readonly<Policy> = { failOn: 'CRITICAL' };

/** The policy in force: the defaults, then the file's settings, then the flags' (a flag wins; lists are replaced, not joined). */
export function mergePolicy(file: Policy | undefined, flags: Partial<Policy> = {}): Policy {
  const set = (policy: Partial<Policy>) => Object.fromEntries(Object.entries(policy).filter(([, value]) => value !== undefined));
  return { ...DEFAULT_POLICY, ...set(file ?? {}), ...set(flags) };
}

/** The severity gate's threshold, or null when the policy has none. */
export function severityThreshold(policy: Policy): Severity | null {
  return policy.failOn === undefined || policy.failOn === 'NONE' ? null : policy.failOn;
}

export const atOrAbove = (severity: Severity, threshold: Severity): boolean => SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(threshold);

/** When an ignore rule stops applying: a date lasts through its whole day (UTC), a time is exact; null when not a real date. */
export function expiryOf(expires: string): Date | null {
  const dateOnly = expires.length === 10;
  const at = new Date(dateOnly ? `${expires}T00:00:00Z` : expires);
  if (Number.isNaN(at.getTime())) return null;
  // `new Date('2025-02-30')` rolls over to March: a date that is not one is refused, not moved.
  if (dateOnly && at.toISOString().slice(0, 10) !== expires) return null;
  return dateOnly ? new Date(at.getTime() + 24 * 60 * 60 * 1000) : at;
}
