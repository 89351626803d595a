// SARIF 2.1.0 for GitHub code scanning: one rule per vulnerability id (and per failed check), one
// result per finding. GitHub ranks security alerts by the rule's `security-severity`, follows an
// alert across runs by `partialFingerprints`, hides results that carry an accepted suppression, and
// rejects a result without a physical location, which an image does not have: the location is a
// file the user names (the Dockerfile by default), the image and package go in a logical location.
import { createHash } from 'node:crypto';
import type { EnvelopeCheck, Severity } from '#shared/envelope/envelope-schema.ts';
import type { GateFinding, GateInput, Verdict } from '../gate-types.ts';
import { findingName, fixOf, suppressionText } from '../describe-finding.ts';
import { byCodeUnits, worstFirst } from './finding-order.ts';
import { mdLink, mdText } from './markdown-text.ts';
import { NOT_COUNTED, verdictFindings } from './verdict-findings.ts';

export interface SarifOptions {
  /** The CLI's version, as the tool's driver states it. */
  toolVersion: string;
  /** The repository file the results point at (relative to the repository root); `Dockerfile` when not given. */
  locationUri?: string;
}

const INFORMATION_URI = 'https://harborguard.dev';
/** GitHub code scanning rejects a run with more results than this. */
const MAX_RESULTS = 25_000;
/** GitHub's scale: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, number> = { CRITICAL: 9.5, HIGH: 8.0, MEDIUM: 5.5, LOW: 2.0, INFO: 0.0 };
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { CRITICAL: 'error', HIGH: 'error', MEDIUM: 'warning', LOW: 'note', INFO: 'note' };
/** Checks that did not pass become results: a WARN is worth a look, a FATAL is an error, and so is any check that failed the gate. */
const CHECK_LEVEL: Partial<Record<EnvelopeCheck['level'], 'error' | 'warning'>> = { FATAL: 'error', WARN: 'warning' };

/** Derived from the finding's key alone, so the same finding keeps its alert whatever the run's time or order. */
const fingerprint = (identity: string): Record<string, string> => ({
  'harborguard/v1': createHash('sha256').update(identity).digest('hex'),
});

const securitySeverity = (f: GateFinding): string => (f.cvss ?? SECURITY_SEVERITY[f.severity]).toFixed(1);

function vulnerabilityRule(id: string, findings: GateFinding[]) {
  const first = findings[0]!;
  // The rule stands for the id across every package it affects: the worst of them sets its rank.
  const worst = [...findings].sort(worstFirst)[0]!;
  const references = [...new Set(findings.flatMap((f) => f.references))];
  const affected = findings.map((f) => `${f.package} ${f.version} (${fixOf(f)})`);
  return {
    id,
    shortDescription: { text: first.title ?? id },
    ...(references[0] ? { helpUri: references[0] } : {}),
    help: {
      text: [
        `${id}: ${first.title ?? id}`,
        '',
        'Affected packages:',
        ...affected.map((a) => `- ${a}`),
        ...(references.length ? ['', 'References:', ...references.map((r) => `- ${r}`)] : []),
      ].join('\n'),
      markdown: [
        `**${mdText(id)}**: ${mdText(first.title ?? id, 1000)}`,
        '',
        '| Package | Installed | Fixed |',
        '| --- | --- | --- |',
        ...findings.map((f) => `| ${mdText(f.package)} | ${mdText(f.version)} | ${mdText(f.fixedVersion ?? 'no fix yet')} |`),
        ...(references.length ? ['', 'References:', ...references.map((r) => `- ${mdLink(r, r)}`)] : []),
      ].join('\n'),
    },
    defaultConfiguration: { level: LEVEL[worst.severity] },
    properties: { 'security-severity': securitySeverity(worst), tags: ['security', 'vulnerability', worst.severity] },
  };
}

function checkRule({ check, level }: { check: EnvelopeCheck; level: 'error' | 'warning' }) {
  return {
    id: check.id,
    shortDescription: { text: check.title },
    help: { text: check.title, markdown: mdText(check.title, 1000) },
    defaultConfiguration: { level },
    properties: { tags: ['image-check', check.level] },
  };
}

/** A path as the user types it (`./docker/my app/Dockerfile`, backslashes on Windows) as the relative URI GitHub matches against the repository. */
const artifactUri = (path: string): string => encodeURI(path.replace(/\\/g, '/').replace(/^(\.\/)+/, ''));

export function toSarif(input: GateInput, verdict: Verdict, options: SarifOptions): string {
  const image = input.image.digest ? `${input.image.reference}@${input.image.digest}` : input.image.reference;
  const uri = artifactUri(options.locationUri ?? 'Dockerfile');
  const location = (logical: { name: string; fullyQualifiedName: string; kind: string }) => [
    {
      physicalLocation: { artifactLocation: { uri }, region: { startLine: 1 } },
      logicalLocations: [logical],
    },
  ];
  const gating = new Set(verdict.violations.flatMap((v) => v.checkIds));
  const failedChecks = input.checks
    .flatMap((check) => {
      const level = gating.has(check.id) ? 'error' : CHECK_LEVEL[check.level];
      return level && check.level !== 'PASS' ? [{ check, level }] : [];
    })
    .sort((a, b) => byCodeUnits(a.check.id, b.check.id));
  // Findings that do not count stay results too: were they missing, GitHub would close their alerts
  // as fixed. Beyond GitHub's limit it would reject the whole file: the counted ones go first.
  const all = verdictFindings(verdict);
  const room = MAX_RESULTS - failedChecks.length;
  const listed =
    all.length <= room
      ? all
      : [...all.filter((e) => e.status.kind === 'counted'), ...all.filter((e) => e.status.kind !== 'counted')]
          .slice(0, room)
          .sort((a, b) => worstFirst(a.finding, b.finding));

  const byId = new Map<string, GateFinding[]>();
  for (const { finding } of [...listed].sort((a, b) => byCodeUnits(a.finding.key, b.finding.key))) {
    const same = byId.get(finding.vulnerabilityId);
    if (same) same.push(finding);
    else byId.set(finding.vulnerabilityId, [finding]);
  }
  const rules = [...[...byId].sort(([a], [b]) => byCodeUnits(a, b)).map(([id, findings]) => vulnerabilityRule(id, findings)), ...failedChecks.map(checkRule)];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const findingResults = listed.map(({ finding: f, status }) => ({
    ruleId: f.vulnerabilityId,
    ruleIndex: ruleIndex.get(f.vulnerabilityId)!,
    level: LEVEL[f.severity],
    message: {
      text:
        `${findingName(f)} (${f.severity}${f.cvss === null ? '' : `, CVSS ${f.cvss}`}${f.knownExploited ? ', known exploited' : ''}): ${fixOf(f)}.` +
        (status.kind === 'baseline' || status.kind === 'unfixed' ? ` Not counted: ${NOT_COUNTED[status.kind]}.` : ''),
    },
    locations: location({ name: `${f.package}@${f.version}`, fullyQualifiedName: `${image}/${f.package}@${f.version}`, kind: 'package' }),
    partialFingerprints: fingerprint(f.key),
    ...(status.kind === 'suppressed' ? { suppressions: [{ kind: 'external', status: 'accepted', justification: suppressionText(status.suppression) }] } : {}),
    properties: {
      ...(f.purl ? { purl: f.purl } : {}),
      ...(f.layerDigest ? { layerDigest: f.layerDigest } : {}),
      knownExploited: f.knownExploited,
      ...(f.epss === undefined ? {} : { epss: f.epss }),
      gateStatus: status.kind,
    },
  }));
  const checkResults = failedChecks.map(({ check: c, level }) => ({
    ruleId: c.id,
    ruleIndex: ruleIndex.get(c.id)!,
    level,
    message: { text: `${c.title} (${c.level})${c.details?.length ? `: ${c.details.join('; ')}` : ''}` },
    locations: location({ name: input.image.reference, fullyQualifiedName: image, kind: 'image' }),
    partialFingerprints: fingerprint(`check#${c.id}`),
  }));

  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'harborguard', informationUri: INFORMATION_URI, version: options.toolVersion, rules } },
        results: [...findingResults, ...checkResults],
        ...(listed.length < all.length
          ? {
              invocations: [
                {
                  executionSuccessful: true,
                  toolExecutionNotifications: [
                    {
                      level: 'warning',
                      message: {
                        text: `${all.length - listed.length} of ${all.length} findings left out: GitHub rejects a run with more than ${MAX_RESULTS} results`,
                      },
                    },
                  ],
                },
              ],
            }
          : {}),
        properties: { image: input.image.reference, ...(input.image.digest ? { digest: input.image.digest } : {}), outcome: verdict.outcome },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
