// apk's lib/apk/db/installed: one record per package, "X:value" lines, blank line between records.
// F: names a directory of the package and the R: lines after it its files there: the language
// metadata among them (owned-metadata.ts) is the package's.
import type { CatalogResult } from '../cataloger.ts';
import { isOwnedMetadata } from '../owned-metadata.ts';
import { apkPackage } from './package.ts';

export function parseApkInstalled(text: string): Required<Pick<CatalogResult, 'packages' | 'owned'>> {
  const result: Required<Pick<CatalogResult, 'packages' | 'owned'>> = { packages: [], owned: [] };
  for (const record of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    const metadata: string[] = [];
    let dir = '';
    for (const line of record.split('\n')) {
      if (line[1] !== ':') continue;
      if (line[0] === 'F') dir = line.slice(2);
      else if (line[0] === 'R' && isOwnedMetadata(`${dir}/${line.slice(2)}`)) metadata.push(`${dir}/${line.slice(2)}`);
      if (!fields.has(line[0]!)) fields.set(line[0]!, line.slice(2));
    }
    const name = fields.get('P');
    const version = fields.get('V');
    if (!name || !version) continue;
    const arch = fields.get('A');
    result.packages.push(apkPackage(name, version, arch, fields.get('o'), fields.get('L')));
    if (metadata.length > 0) result.owned.push({ owner: { type: 'apk', name, ...(arch ? { arch } : {}) }, paths: metadata });
  }
  return result;
}
