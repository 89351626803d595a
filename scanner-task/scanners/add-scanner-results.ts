// Folds what the external scanners reported into the engine's report, so that every output
// (envelope, table, SBOMs) shows one result: one vulnerability list (alias-aware merge whose
// sources[] name every scanner that saw it), the tools' checks beside the engine's (compliance
// recomputed over all of them), the packages only a tool found, and each tool's record.
import type { EnvelopePackage } from '#shared/envelope/envelope-schema.ts';
import { complianceOf, isAdvisory } from '#shared/compliance/compliance-grade.ts';
import type { CheckLevel, CheckResult } from '../checks/check.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { mergeVulnerabilities } from './merge-vulnerabilities.ts';
import type { ScannerRun } from './run-scanners.ts';
import type { EnvelopeCheck } from './scanner-adapter.ts';

const LEVEL_RANK: Readonly<Record<CheckLevel, number>> = { PASS: 0, INFO: 1, WARN: 2, FATAL: 3 };

const packageKey = (p: { type: string; name: string; version: string }): string => `${p.type}\0${p.name}\0${p.version}`;
// A tool that could not tell a package's type (trivy on an unrecognised distribution) names the
// engine's package of that name and version, not a new one.
const UNTYPED = 'unknown';
const untypedKey = (p: { name: string; version: string }): string => packageKey({ name: p.name, version: p.version, type: UNTYPED });

/** The same check id from several scanners (dockle and the engine share CIS ids) is one check at its worst level. */
function mergeChecks(engine: readonly CheckResult[], external: readonly EnvelopeCheck[]): CheckResult[] {
  const byId = new Map(engine.map((c) => [c.id, c]));
  for (const c of external) {
    const seen = byId.get(c.id);
    if (!seen) {
      // A tool's INFO checks are advice, as the engine's are (the one rule, shared/compliance/compliance-grade.ts).
      byId.set(c.id, { id: c.id, title: c.title, level: c.level, details: c.details ?? [], advisory: isAdvisory(c) });
    } else if (LEVEL_RANK[c.level] > LEVEL_RANK[seen.level]) {
      byId.set(c.id, { ...seen, level: c.level, details: [...new Set([...seen.details, ...(c.details ?? [])])].slice(0, 1000) });
    }
  }
  return [...byId.values()];
}

export function addScannerResults(report: ScanReport, runs: readonly ScannerRun[]): ScanReport {
  if (runs.length === 0) return report;
  const outputs = runs.flatMap((r) => (r.output ? [r.output] : []));
  const foundVulnerabilities = report.vulnerabilities !== undefined || outputs.some((o) => o.vulnerabilities.length > 0);
  const checks = mergeChecks(
    report.checks,
    outputs.flatMap((o) => o.checks),
  );
  const known = new Set(report.scan.packages.flatMap((p) => [packageKey(p), untypedKey(p)]));
  const packages: EnvelopePackage[] = [];
  for (const p of outputs.flatMap((o) => o.packages)) {
    if (known.has(packageKey(p))) continue;
    known.add(packageKey(p));
    packages.push(p);
  }
  return {
    ...report,
    ...(foundVulnerabilities ? { vulnerabilities: mergeVulnerabilities([report.vulnerabilities ?? [], ...outputs.map((o) => o.vulnerabilities)]) } : {}),
    checks,
    compliance: complianceOf(checks),
    external: { scanners: runs.map((r) => r.scanner), packages },
  };
}
