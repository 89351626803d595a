// `harborguard ci`'s terminal output: what was decided and why, the worst findings that count,
// the ones that do not and why, and the verdict's summary as the last line.
import { SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import type { GateInput, Verdict } from '../../gate/gate-types.ts';
import { findingName, suppressionText } from '../../gate/describe-finding.ts';
import { worstFirst } from '../../gate/reports/finding-order.ts';
import { summaryLine } from '../../gate/verdict.ts';
import { columns } from '../../report/columns.ts';

const SHOWN = 20;

const more = (total: number) => (total > SHOWN ? [`  … and ${total - SHOWN} more`] : []);

export function toCiTable(input: GateInput, verdict: Verdict): string {
  const out: string[] = [`Image: ${input.image.reference}${input.image.digest ? ` (${input.image.digest})` : ''}`];
  if (input.scan?.url) out.push(`Scan: ${input.scan.url}`);
  const counts = SEVERITIES.map((s) => [s, verdict.counted.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
  out.push(
    `Findings: ${verdict.counted.length} counted${counts.length ? ` (${counts.map(([s, n]) => `${s} ${n}`).join(', ')})` : ''}` +
      `, ${verdict.suppressed.length} suppressed, ${verdict.inBaseline.length} in the baseline` +
      (verdict.notCountedUnfixed?.length ? `, ${verdict.notCountedUnfixed.length} without a fix not counted` : ''),
    `Risk score: ${verdict.riskScore ?? '- (not matched against advisories)'}; compliance grade: ${input.compliance.grade ?? '-'}`,
  );
  const counted = [...verdict.counted].sort(worstFirst);
  if (counted.length > 0) {
    out.push('', 'Counted findings, worst first');
    const rows = [['SEVERITY', 'VULNERABILITY', 'PACKAGE', 'INSTALLED', 'FIXED']];
    for (const f of counted.slice(0, SHOWN))
      rows.push([f.severity + (f.knownExploited ? ' KEV' : ''), f.vulnerabilityId, f.package, f.version, f.fixedVersion ?? '-']);
    out.push(...columns(rows).map((line) => `  ${line}`), ...more(counted.length));
  }
  if (verdict.suppressed.length > 0) {
    out.push('', 'Suppressed');
    for (const { finding, suppression } of verdict.suppressed.slice(0, SHOWN)) out.push(`  ${findingName(finding)}: ${suppressionText(suppression)}`);
    out.push(...more(verdict.suppressed.length));
  }
  for (const rule of verdict.expiredIgnores)
    out.push('', `Expired ignore rule (no longer applies): ${rule.vulnerability}, expired ${rule.expires} (${rule.reason})`);
  if (verdict.violations.length > 0) {
    out.push('', 'Policy violations');
    for (const violation of verdict.violations) out.push(`  ${violation.message}`);
  }
  out.push('', summaryLine(verdict));
  return `${out.join('\n')}\n`;
}
