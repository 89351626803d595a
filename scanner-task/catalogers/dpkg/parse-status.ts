// dpkg's status database (and distroless status.d/ files): RFC 822-style paragraphs, one per package.
export interface DpkgRecord {
  name: string;
  version: string;
  arch?: string;
  sourceName: string;
  sourceVersion: string;
}

// Only these fields are kept: the field names are the file's, and a map keyed by whatever names a
// hostile status file holds (thousands of 20 KB ones) would cost quadratic time to fill.
const FIELDS = new Set(['Package', 'Version', 'Status', 'Architecture', 'Source']);

function paragraphs(text: string): Array<Map<string, string>> {
  const result: Array<Map<string, string>> = [];
  let current = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (current.size > 0) result.push(current);
      current = new Map();
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') continue; // continuation lines (Description, Conffiles): not needed
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const field = line.slice(0, colon);
    if (FIELDS.has(field)) current.set(field, line.slice(colon + 1).trim());
  }
  if (current.size > 0) result.push(current);
  return result;
}

// dpkg-query's ${source:Version}: the version in "Source: name (version)" if given, else the binary
// version without a binNMU suffix (+bN), which a binary-only rebuild adds but its source never had.
const withoutBinNmu = (version: string): string => version.replace(/\+b\d+$/, '');

export function parseDpkgStatus(text: string): DpkgRecord[] {
  const records: DpkgRecord[] = [];
  for (const fields of paragraphs(text)) {
    const name = fields.get('Package');
    const version = fields.get('Version');
    const status = fields.get('Status');
    if (!name || !version) continue;
    // Removed packages whose config files remain are still listed: only installed ones count.
    if (status !== undefined && status.split(/\s+/)[2] !== 'installed') continue;
    const source = /^(\S+)(?:\s+\((.+)\))?$/.exec(fields.get('Source') ?? '');
    records.push({
      name,
      version,
      ...(fields.get('Architecture') ? { arch: fields.get('Architecture')! } : {}),
      sourceName: source?.[1] ?? name,
      sourceVersion: source?.[2] ?? withoutBinNmu(version),
    });
  }
  return records;
}
