// Why a finding does not count, if it does not: the policy's ignore rules first (the team's own
// word, in the repository), then VEX (the authors' statements about exposure), then the server's
// triage. The first that speaks is the one the output names.
import type { GateFinding, GateInput, Suppression } from './gate-types.ts';
import { expiryOf, type IgnoreRule } from './policy.ts';
import { decidingStatement, SUPPRESSING_STATUSES, type VexStatement } from './vex/vex-statement.ts';

/**
 * Server triage statuses that suppress (functions/domain/findings/finding.ts has them all). FIXED
 * does not: a finding this scan still reports was not fixed in this image.
 */
export const SUPPRESSING_TRIAGE = ['WONT_FIX'] as const;

/** `*` matches any run of characters; everything else is literal, any case (as the vulnerability id is). */
const globMatches = (glob: string, value: string): boolean =>
  new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  ).test(value);

export function ignoreRuleMatches(rule: IgnoreRule, finding: GateFinding): boolean {
  const id = rule.vulnerability.toUpperCase();
  if (![finding.vulnerabilityId, ...finding.aliases].some((known) => known.toUpperCase() === id)) return false;
  if (rule.package !== undefined && !globMatches(rule.package, finding.package)) return false;
  return rule.purl === undefined || (finding.purl !== undefined && globMatches(rule.purl, finding.purl));
}

export const isExpired = (rule: IgnoreRule, now: Date): boolean => rule.expires !== undefined && expiryOf(rule.expires)!.getTime() <= now.getTime();

export interface SuppressionSources {
  /** The ignore rules in force (not expired), with their index in the policy for the output. */
  ignore: ReadonlyArray<{ rule: IgnoreRule; index: number }>;
  vex: readonly VexStatement[];
  image: GateInput['image'];
  /** What the output calls the policy: its file, or `policy` when it came from flags. */
  policySource: string;
}

export function suppressionOf(finding: GateFinding, sources: SuppressionSources): Suppression | undefined {
  const ignored = sources.ignore.find(({ rule }) => ignoreRuleMatches(rule, finding));
  if (ignored) return { kind: 'ignore', reason: ignored.rule.reason, source: `${sources.policySource} ignore[${ignored.index}]` };
  const statement = decidingStatement(sources.vex, finding, sources.image);
  if (statement && SUPPRESSING_STATUSES.includes(statement.status)) {
    const justification = statement.justification ?? statement.detail;
    return { kind: 'vex', reason: statement.status, ...(justification === undefined ? {} : { justification }), source: statement.source };
  }
  const triage = finding.triage;
  if (triage && (SUPPRESSING_TRIAGE as readonly string[]).includes(triage.status)) {
    return {
      kind: 'triage',
      reason: triage.status,
      ...(triage.note ? { justification: triage.note } : {}),
      source: `triage by ${triage.updatedBy ?? 'the server'}`,
    };
  }
  return undefined;
}
