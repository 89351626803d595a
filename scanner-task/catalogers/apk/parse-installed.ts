// apk's lib/apk/db/installed: one record per package, "X:value" lines, blank line between records.
import type { PackageDraft } from '../../model/package.ts';
import { apkPackage } from './package.ts';

export function parseApkInstalled(text: string): PackageDraft[] {
  const packages: PackageDraft[] = [];
  for (const record of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of record.split('\n')) if (line[1] === ':' && !fields.has(line[0]!)) fields.set(line[0]!, line.slice(2));
    const name = fields.get('P');
    const version = fields.get('V');
    if (name && version) packages.push(apkPackage(name, version, fields.get('A'), fields.get('o'), fields.get('L')));
  }
  return packages;
}
