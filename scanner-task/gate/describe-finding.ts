// The phrases the gate uses for a finding and for why one does not count, so that the verdict's
// messages, SARIF, JUnit, Markdown, the VDR and the CLI's table say the same thing in the same words.
import type { GateFinding, Suppression } from './gate-types.ts';

export const fixOf = (f: GateFinding): string => (f.fixedVersion ? `fixed in ${f.fixedVersion}` : 'no fix yet');

/** "CVE-2024-5535 in openssl 3.0.11-1~deb12u2": what a finding is called where a name is expected. */
export const findingName = (f: GateFinding): string => `${f.vulnerabilityId} in ${f.package} ${f.version}`;

/** One line: the finding's severity, score, exploitation and fix. */
export const findingSummary = (f: GateFinding): string =>
  [
    `${f.severity}${f.cvss === null ? '' : ` (CVSS ${f.cvss})`}`,
    ...(f.knownExploited ? ['known exploited (CISA KEV)'] : []),
    `${f.package} ${f.version}`,
    fixOf(f),
  ].join(', ');

const SUPPRESSED_BY: Record<Suppression['kind'], string> = { vex: 'VEX', ignore: 'ignored:', triage: 'triaged' };

/** "VEX not_affected: vulnerable_code_not_in_execute_path (vex/app.openvex.json, statement 1)", "ignored: dev-only (.harborguard.yaml, ignore[0])" */
export const suppressionText = (s: Suppression): string => `${SUPPRESSED_BY[s.kind]} ${s.reason}${s.justification ? `: ${s.justification}` : ''} (${s.source})`;

/** `1 finding`, `3 findings`. */
export const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;
