// Exploitation signals from local files: CISA's Known Exploited Vulnerabilities catalog
// (its JSON feed) and FIRST's EPSS scores (its CSV, optionally gzip'd).
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import type { Enrichment } from '#shared/matching/stored-advisory.ts';

export async function readKev(path: string): Promise<Set<string>> {
  const data = JSON.parse(await readFile(path, 'utf8')) as { vulnerabilities?: Array<{ cveID?: unknown }> };
  if (!Array.isArray(data.vulnerabilities)) throw new Error(`${path}: not a CISA KEV catalog (no vulnerabilities[])`);
  return new Set(data.vulnerabilities.flatMap((v) => (typeof v.cveID === 'string' ? [v.cveID] : [])));
}

// "#model_version:…" comment, then "cve,epss,percentile", then one row per CVE.
export async function readEpss(path: string): Promise<Map<string, number>> {
  const raw = createReadStream(path);
  const input = path.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const scores = new Map<string, number>();
  let cveColumn = -1;
  let epssColumn = -1;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (line.startsWith('#') || line.trim() === '') continue;
    const fields = line.split(',');
    if (cveColumn < 0) {
      cveColumn = fields.indexOf('cve');
      epssColumn = fields.indexOf('epss');
      if (cveColumn < 0 || epssColumn < 0) throw new Error(`${path}: not an EPSS CSV (header needs cve and epss)`);
      continue;
    }
    const score = Number(fields[epssColumn]);
    const cve = fields[cveColumn];
    if (cve && Number.isFinite(score) && score >= 0 && score <= 1) scores.set(cve, score);
  }
  return scores;
}

export async function readEnrichment(files: { kev?: string; epss?: string }): Promise<Enrichment> {
  return {
    kev: files.kev ? await readKev(files.kev) : new Set(),
    epss: files.epss ? await readEpss(files.epss) : new Map(),
  };
}
