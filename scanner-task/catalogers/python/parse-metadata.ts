// Core metadata (METADATA in dist-info, PKG-INFO in egg-info): e-mail style headers before the body.
import type { PackageDraft } from '#shared/packages/package.ts';
import { buildPurl } from '../../model/purl.ts';

export function parsePythonMetadata(text: string): PackageDraft[] {
  const headers: Array<[string, string]> = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') break;
    if (line[0] === ' ' || line[0] === '\t') continue;
    const colon = line.indexOf(':');
    if (colon > 0) headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
  }
  const get = (key: string): string | undefined => headers.find(([k]) => k === key)?.[1];
  const name = get('name');
  const version = get('version');
  if (!name || !version) return [];
  // License-Expression (PEP 639) beats License; classifiers fill in when License is empty or UNKNOWN.
  const licenses: string[] = [];
  const expression = get('license-expression');
  const license = get('license');
  if (expression) licenses.push(expression);
  else if (license && license !== 'UNKNOWN' && license.length < 200) licenses.push(license);
  else {
    for (const [key, value] of headers) {
      if (key === 'classifier' && value.startsWith('License ::')) licenses.push(value.split('::').pop()!.trim());
    }
  }
  return [
    {
      name,
      version,
      type: 'pypi',
      purl: buildPurl({ type: 'pypi', name: name.toLowerCase().replace(/[-_.]+/g, '-'), version }),
      licenses,
    },
  ];
}
