// GitHub-flavoured Markdown for `$GITHUB_STEP_SUMMARY` and merge-request comments: the outcome, what
// failed, the worst findings and what was suppressed and why. Every list is cut to a few rows with
// "and N more" and every value to a few hundred characters, so the summary stays far below GitHub's
// 1 MiB limit for a step summary however many findings the image has.
import { SEVERITIES } from '#shared/envelope/envelope-schema.ts';
import type { GateFinding, GateInput, Verdict } from '../gate-types.ts';
import { worstFirst } from './finding-order.ts';
import { mdLink, mdText } from './markdown-text.ts';

const LIMITS = { findings: 20, suppressed: 50, violations: 50, expiredIgnores: 20 } as const;

const more = (total: number, shown: number): string[] => (total > shown ? ['', `_and ${total - shown} more_`] : []);

function table(header: string[], rows: string[][]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

const idCell = (f: GateFinding): string => `${mdLink(f.vulnerabilityId, f.references[0])}${f.knownExploited ? ' (KEV)' : ''}`;

function findingsSection(counted: GateFinding[]): string[] {
  if (counted.length === 0) return [];
  const top = [...counted].sort(worstFirst).slice(0, LIMITS.findings);
  const rows = top.map((f) => [f.severity, idCell(f), mdText(f.package), mdText(f.version), f.fixedVersion ? mdText(f.fixedVersion) : '_no fix yet_']);
  return ['', `### Top findings`, '', ...table(['Severity', 'ID', 'Package', 'Installed', 'Fixed'], rows), ...more(counted.length, top.length)];
}

function suppressedSection(suppressed: Verdict['suppressed']): string[] {
  if (suppressed.length === 0) return [];
  const shown = [...suppressed].sort((a, b) => worstFirst(a.finding, b.finding)).slice(0, LIMITS.suppressed);
  const rows = shown.map(({ finding: f, suppression: s }) => [
    f.severity,
    idCell(f),
    mdText(f.package),
    mdText(f.version),
    `${s.kind}: ${mdText(s.reason)}${s.justification ? ` (${mdText(s.justification)})` : ''}`,
    mdText(s.source),
  ]);
  return [
    '',
    `### Suppressed (${suppressed.length})`,
    '',
    ...table(['Severity', 'ID', 'Package', 'Installed', 'Why', 'Source'], rows),
    ...more(suppressed.length, shown.length),
  ];
}

export function toMarkdown(input: GateInput, verdict: Verdict): string {
  const failed = verdict.outcome === 'fail';
  const out: string[] = [`## ${failed ? '❌' : '✅'} harborguard ci: ${failed ? 'FAIL' : 'PASS'}`, ''];
  out.push(`**Image:** ${mdText(input.image.reference, 512)}${input.image.digest ? ` (${mdText(input.image.digest, 256)})` : ''}  `);
  if (input.scan) out.push(`**Scan:** ${mdLink(input.scan.id, input.scan.url)}  `);
  const { grade, score } = input.compliance;
  out.push(
    `**Risk score:** ${verdict.riskScore ?? 'none (not matched against advisories)'} · **Compliance grade:** ${grade ?? 'none'}${grade && score !== undefined ? ` (${score}/100)` : ''}`,
  );
  if (!input.matched)
    out.push(
      '',
      `> [!WARNING]`,
      `> Packages were not matched against advisories${input.matchingDetail ? `: ${mdText(input.matchingDetail, 500)}` : ''}. No finding here is no evidence.`,
    );

  const bySeverity = SEVERITIES.map((s) => String(verdict.counted.filter((f) => f.severity === s).length));
  out.push('', ...table([...SEVERITIES], [bySeverity]));
  const aside = [
    ...(verdict.suppressed.length ? [`${verdict.suppressed.length} suppressed`] : []),
    ...(verdict.inBaseline.length ? [`${verdict.inBaseline.length} already in the baseline`] : []),
    ...(verdict.notCountedUnfixed?.length ? [`${verdict.notCountedUnfixed.length} without a known fix`] : []),
  ];
  out.push(
    '',
    `${verdict.counted.length} counted finding${verdict.counted.length === 1 ? '' : 's'}${aside.length ? ` (not counted: ${aside.join(', ')})` : ''}.`,
  );

  if (verdict.violations.length > 0) {
    const shown = verdict.violations.slice(0, LIMITS.violations);
    out.push(
      '',
      '### What failed',
      '',
      ...shown.map((v) => `- **${mdText(v.rule, 64)}**: ${mdText(v.message, 500)}`),
      ...more(verdict.violations.length, shown.length),
    );
  }
  if (verdict.expiredIgnores.length > 0) {
    const shown = verdict.expiredIgnores.slice(0, LIMITS.expiredIgnores);
    out.push(
      '',
      '> [!WARNING]',
      '> These ignore rules have expired and no longer apply:',
      ...shown.map((e) => `> - ${mdText(e.vulnerability)} (expired ${mdText(e.expires, 64)}): ${mdText(e.reason)}`),
      ...(verdict.expiredIgnores.length > shown.length ? [`> - _and ${verdict.expiredIgnores.length - shown.length} more_`] : []),
    );
  }
  out.push(...findingsSection(verdict.counted), ...suppressedSection(verdict.suppressed));
  return `${out.join('\n')}\n`;
}
