// Package URLs per the purl spec: pkg:type/namespace/name@version?qualifiers#subpath.
// Each segment is percent-encoded; qualifiers are sorted by key and empty ones dropped.

// The spec keeps these characters unencoded in every component.
const encodeSegment = (value: string): string =>
  encodeURIComponent(value)
    .replace(/%3A/gi, ':')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
  subpath?: string;
}

export function buildPurl(parts: PurlParts): string {
  let purl = `pkg:${parts.type.toLowerCase()}/`;
  if (parts.namespace) purl += `${parts.namespace.split('/').filter(Boolean).map(encodeSegment).join('/')}/`;
  purl += encodeSegment(parts.name);
  if (parts.version) purl += `@${encodeSegment(parts.version)}`;
  const qualifiers = Object.entries(parts.qualifiers ?? {})
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (qualifiers.length > 0) purl += `?${qualifiers.map(([k, v]) => `${k.toLowerCase()}=${encodeSegment(v)}`).join('&')}`;
  if (parts.subpath)
    purl += `#${parts.subpath
      .split('/')
      .filter((s) => s && s !== '.' && s !== '..')
      .map(encodeSegment)
      .join('/')}`;
  return purl;
}
