// Why a finding does not count, if it does not: the policy's ignore rules first (the team's own
// word, in the repository), then VEX (the authors' statements about exposure), then the server's
// triage. The first that speaks is the one the output names.
import type { GateFinding, GateInput, Suppression } from './gate-types.ts';
import { expiryOf, type IgnoreRule } from './policy.ts';
import { idsOf, SUPPRESSING_STATUSES, vexDecider, type VexStatement } from './vex/vex-statement.ts';

/**
 * Server triage statuses that suppress (functions/domain/findings/finding.ts has them all). FIXED
 * does not: a finding this scan still reports was not fixed in this image.
 */
const SUPPRESSING_TRIAGE: readonly string[] = ['WONT_FIX'];

/** `*` matches any run of characters; everything else is literal, any case (as the vulnerability id is). */
const globPattern = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
    'i',
  );

export const isExpired = (rule: IgnoreRule, now: Date): boolean => rule.expires !== undefined && expiryOf(rule.expires)!.getTime() <= now.getTime();

export interface SuppressionSources {
  /** The ignore rules in force (not expired), with their index in the policy for the output. */
  ignore: ReadonlyArray<{ rule: IgnoreRule; index: number }>;
  vex: readonly VexStatement[];
  image: GateInput['image'];
  /** What the output calls the policy: its file, or `policy` when it came from flags. */
  policySource: string;
}

interface CompiledRule {
  rule: IgnoreRule;
  index: number;
  matches: (finding: GateFinding) => boolean;
}

/** The ignore rules by vulnerability id, their globs compiled once; a finding is compared only with the rules naming one of its ids. */
function ignoreRuleFinder(rules: SuppressionSources['ignore']): (finding: GateFinding) => CompiledRule | undefined {
  const byId = new Map<string, CompiledRule[]>();
  for (const { rule, index } of rules) {
    const pkg = rule.package === undefined ? undefined : globPattern(rule.package);
    const purl = rule.purl === undefined ? undefined : globPattern(rule.purl);
    const matches = (f: GateFinding) => (pkg === undefined || pkg.test(f.package)) && (purl === undefined || (f.purl !== undefined && purl.test(f.purl)));
    const id = rule.vulnerability.toUpperCase();
    const listed = byId.get(id) ?? [];
    listed.push({ rule, index, matches });
    byId.set(id, listed);
  }
  return (finding) => {
    let first: CompiledRule | undefined;
    for (const id of idsOf(finding)) {
      for (const candidate of byId.get(id) ?? []) if ((first === undefined || candidate.index < first.index) && candidate.matches(finding)) first = candidate;
    }
    return first;
  };
}

/** Decides each finding's suppression; the rules and statements are indexed once for all findings. */
export function suppressor(sources: SuppressionSources): (finding: GateFinding) => Suppression | undefined {
  const ignoreRuleOf = ignoreRuleFinder(sources.ignore);
  const statementOf = vexDecider(sources.vex, sources.image);
  return (finding) => {
    const ignored = ignoreRuleOf(finding);
    if (ignored) return { kind: 'ignore', reason: ignored.rule.reason, source: `${sources.policySource} ignore[${ignored.index}]` };
    const statement = statementOf(finding);
    if (statement && SUPPRESSING_STATUSES.includes(statement.status)) {
      const justification = statement.justification ?? statement.detail;
      return { kind: 'vex', reason: statement.status, ...(justification === undefined ? {} : { justification }), source: statement.source };
    }
    const triage = finding.triage;
    if (triage && SUPPRESSING_TRIAGE.includes(triage.status)) {
      return {
        kind: 'triage',
        reason: triage.status,
        ...(triage.note ? { justification: triage.note } : {}),
        source: `triage by ${triage.updatedBy ?? 'the server'}`,
      };
    }
    return undefined;
  };
}
