// osv-scanner (`osv-scanner scan image --format json`): results[].packages[] with the full
// OSV records that hit each package and `groups` (ids that are aliases of each other).
import { osvEcosystem } from '#shared/ecosystems/ecosystem-of.ts';
import type { EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import type { OsvRecord } from '#shared/matching/osv-record.ts';
import { scoreRecord, severityFromScore } from '#shared/matching/severity.ts';
import { asArray, firstCve, type ScannerAdapter, type ScannerOutput } from '../scanner-adapter.ts';

interface OsvPackageResult {
  package: { name: string; version: string; ecosystem?: string; purl?: string };
  vulnerabilities?: OsvRecord[];
  groups?: Array<{ ids: string[]; aliases?: string[]; max_severity?: string }>;
}

function group(result: OsvPackageResult, ids: string[], aliases: string[], maxSeverity: string | undefined): EnvelopeVulnerability {
  const records = (result.vulnerabilities ?? []).filter((r) => ids.includes(r.id));
  const all = [...new Set([...ids, ...aliases, ...records.flatMap((r) => r.aliases ?? [])])].sort();
  const cveId = firstCve(all);
  const id = cveId ?? ids[0]!;
  const scored = records.map((r) => scoreRecord(r)).sort((a, b) => (b.cvss ?? -1) - (a.cvss ?? -1))[0];
  const max = Number(maxSeverity);
  const cvss = scored?.cvss ?? (Number.isFinite(max) && maxSeverity ? max : undefined);
  const type = result.package.ecosystem ? osvEcosystem(result.package.ecosystem)?.type : undefined;
  const references = [...new Set(records.flatMap((r) => (r.references ?? []).map((ref) => ref.url)))];
  return {
    id,
    ...(cveId ? { cveId } : {}),
    ...(all.filter((a) => a !== id).length > 0 ? { aliases: all.filter((a) => a !== id) } : {}),
    severity: cvss !== undefined ? severityFromScore(cvss) : (scored?.severity ?? 'INFO'),
    ...(cvss !== undefined ? { cvss } : {}),
    ...(scored?.cvssVector ? { cvssVector: scored.cvssVector } : {}),
    package: result.package.name,
    version: result.package.version,
    ...(type ? { packageType: type } : {}),
    ...(result.package.purl ? { purl: result.package.purl } : {}),
    fixedVersion: null,
    scanner: 'osv-scanner',
    sources: [...ids].sort(),
    ...(references.length > 0 ? { references: references.slice(0, 256) } : {}),
    ...(records[0]?.summary ? { title: records[0].summary.slice(0, 4096) } : {}),
  };
}

export function parseOsvScanner(json: unknown): ScannerOutput {
  const out: ScannerOutput = { vulnerabilities: [], packages: [], checks: [] };
  for (const source of asArray<{ packages?: OsvPackageResult[] }>((json as { results?: unknown })?.results)) {
    for (const result of source.packages ?? []) {
      const type = result.package.ecosystem ? osvEcosystem(result.package.ecosystem)?.type : undefined;
      out.packages.push({
        name: result.package.name,
        version: result.package.version,
        type: type ?? 'unknown',
        ...(result.package.purl ? { purl: result.package.purl } : {}),
      });
      const groups = result.groups?.length ? result.groups : (result.vulnerabilities ?? []).map((r) => ({ ids: [r.id], aliases: r.aliases ?? [] }));
      for (const g of groups) out.vulnerabilities.push(group(result, g.ids, g.aliases ?? [], 'max_severity' in g ? g.max_severity : undefined));
    }
  }
  return out;
}

export const osvScannerAdapter: ScannerAdapter = {
  name: 'osv',
  // `scan image <reference>` asks a Docker daemon; `--archive` reads a `docker save` tarball only.
  reads: ['docker-archive'],
  versionArgs: ['--version'],
  parseVersion: (output) => /osv-scanner version:\s*(\S+)/.exec(output)?.[1] ?? output.trim().split('\n')[0] ?? '',
  args: (target) => ['scan', 'image', '--archive', target.location, '--format', 'json'],
  parse: parseOsvScanner,
};
