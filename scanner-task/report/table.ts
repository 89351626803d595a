// A readable summary for terminals: image, packages by type, layers and checks.
import { SEVERITIES, type EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import { columns } from './columns.ts';
import type { ScanReport } from './scan-report.ts';

const human = (bytes: number): string => {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
};

// Names in one fixed collation, not the user's locale: a bare localeCompare follows LANG, and
// under da_DK "aalib" sorts after "zlib", so the same scan would print in another order.
const byName = new Intl.Collator('en').compare;

// The worst first, as a reader triages: SEVERITIES is ordered CRITICAL → INFO; then package and id
// so that equal severities read in a stable order.
const bySeverity = (a: EnvelopeVulnerability, b: EnvelopeVulnerability): number =>
  SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || byName(a.package, b.package) || byName(a.id, b.id);

export function toTable(report: ScanReport): string {
  const { scan, breakdown } = report;
  const out: string[] = [];
  out.push(`Image: ${scan.image.name ? `${scan.image.name}${scan.image.tag ? `:${scan.image.tag}` : ''}` : report.source} (${report.platform})`);
  if (scan.image.manifestDigest) out.push(`Digest: ${scan.image.manifestDigest}`);
  if (scan.os) out.push(`OS: ${scan.os.prettyName ?? `${scan.os.id} ${scan.os.versionId ?? ''}`}`);
  out.push(
    `Size: ${human(breakdown.uncompressedSize)} (${human(breakdown.compressedSize)} compressed), wasted ${human(breakdown.wastedBytes)}, efficiency ${breakdown.efficiency}%`,
  );
  out.push('', `Packages (${scan.packages.length})`);
  const rows = [['TYPE', 'NAME', 'VERSION', 'LAYER', 'LOCATION']];
  const sorted = [...scan.packages].sort((a, b) => byName(a.type, b.type) || byName(a.name, b.name) || byName(a.version, b.version));
  // The location as the envelope and the API give it (relative to the image root, as the external
  // scanners' adapters also write it), so the table, the JSON and the API read the same path.
  for (const p of sorted)
    rows.push([p.type, p.matchedVia ? `${p.name} (via ${p.matchedVia.type} ${p.matchedVia.name})` : p.name, p.version, String(p.layerIndex + 1), p.location]);
  out.push(columns(rows).join('\n'));
  if (report.vulnerabilities) {
    out.push('', `Vulnerabilities (${report.vulnerabilities.length})`);
    const vulnRows = [['SEVERITY', 'ID', 'PACKAGE', 'INSTALLED', 'FIXED', 'LAYER']];
    const layerOf = new Map(breakdown.layers.map((l) => [l.digest, l.index === undefined ? '-' : String(l.index + 1)]));
    for (const v of [...report.vulnerabilities].sort(bySeverity))
      vulnRows.push([v.severity, v.id, v.package, v.version, v.fixedVersion ?? '-', (v.layerDigest && layerOf.get(v.layerDigest)) ?? '-']);
    if (report.vulnerabilities.length > 0) out.push(columns(vulnRows).join('\n'));
  }
  out.push('', 'Layers');
  const layerRows = [['#', 'SIZE', 'ADDED', 'MODIFIED', 'REMOVED', 'PACKAGES', 'CREATED BY']];
  for (const l of breakdown.layers) {
    layerRows.push([
      l.index === undefined ? '-' : String(l.index + 1),
      l.empty ? 'empty' : human(l.uncompressedSize ?? 0),
      String(l.filesAdded),
      String(l.filesModified),
      String(l.filesRemoved),
      String(l.packagesAdded),
      (l.createdBy ?? '').replace(/\s+/g, ' ').slice(0, 80),
    ]);
  }
  out.push(columns(layerRows).join('\n'));
  out.push(
    '',
    report.compliance.grade === null
      ? 'Checks (no grade: no scored check applies)'
      : `Checks (score ${report.compliance.score}, grade ${report.compliance.grade})`,
  );
  const checkRows = [['LEVEL', 'ID', 'TITLE']];
  for (const c of report.checks)
    checkRows.push([c.level, c.id, c.title + (c.details.length > 0 ? `: ${c.details.slice(0, 3).join('; ')}${c.details.length > 3 ? '; …' : ''}` : '')]);
  out.push(columns(checkRows).join('\n'));
  if (report.external && report.external.scanners.length > 0) {
    out.push('', 'Scanners');
    const scannerRows = [['NAME', 'VERSION', 'STATUS', 'TIME', 'ERROR']];
    for (const s of report.external.scanners)
      scannerRows.push([
        s.name,
        s.version ?? '-',
        s.status ?? '-',
        s.durationMs === undefined ? '-' : `${s.durationMs} ms`,
        (s.error ?? '').split('\n', 1)[0]!.slice(0, 120),
      ]);
    out.push(columns(scannerRows).join('\n'));
  }
  if (scan.warnings.length > 0) out.push('', `Warnings (${scan.warnings.length})`, ...scan.warnings.slice(0, 20).map((w) => `  ${w}`));
  return `${out.join('\n')}\n`;
}
