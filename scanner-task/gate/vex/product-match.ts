// Whether a VEX product names a finding's package or the scanned image. Package URLs are compared
// by type, namespace, name and version, ignoring qualifiers and subpath (a VEX author writes
// `pkg:deb/debian/openssl@3.0.11-1` for what the scanner spells `…?arch=amd64&distro=debian-12`);
// a purl without a version covers every version. No purl library is installed (the CycloneDX
// library only names packageurl-js as an optional peer), and comparing needs only this much parsing.
import { parseImageReference } from '#shared/image-reference/image-reference.ts';
import type { GateInput } from '../gate-types.ts';

interface PurlIdentity {
  type: string;
  namespace: string;
  name: string;
  version?: string;
}

/** Types whose spec makes names case-insensitive; pypi also treats `_`, `-` and `.` alike (PEP 503). */
const CASE_INSENSITIVE = new Set(['apk', 'bitbucket', 'composer', 'deb', 'github', 'golang', 'hex', 'npm', 'pypi']);

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

export function purlIdentity(purl: string): PurlIdentity | undefined {
  if (!purl.toLowerCase().startsWith('pkg:')) return undefined;
  const withoutSubpath = purl.slice(4).replace(/^\/+/, '').split('#')[0]!;
  const path = withoutSubpath.split('?')[0]!;
  const lastSlash = path.lastIndexOf('/');
  const at = path.lastIndexOf('@');
  // `@` is the version's only where it follows the last `/`: `pkg:npm/@babel/core` has none.
  const hasVersion = at > lastSlash;
  const segments = (hasVersion ? path.slice(0, at) : path).split('/').filter(Boolean).map(decode);
  if (segments.length < 2) return undefined;
  const type = segments[0]!.toLowerCase();
  const fold = (value: string) => (type === 'pypi' ? value.toLowerCase().replace(/[-_.]+/g, '-') : CASE_INSENSITIVE.has(type) ? value.toLowerCase() : value);
  return {
    type,
    namespace: fold(segments.slice(1, -1).join('/')),
    name: fold(segments.at(-1)!),
    ...(hasVersion ? { version: decode(path.slice(at + 1)) } : {}),
  };
}

/** Does the product purl cover the package purl: same package, and the same version unless the product names none. */
export function purlCovers(productPurl: string, packagePurl: string): boolean {
  const product = purlIdentity(productPurl);
  const pkg = purlIdentity(packagePurl);
  if (!product || !pkg) return false;
  const samePackage = product.type === pkg.type && product.namespace === pkg.namespace && product.name === pkg.name;
  return samePackage && (product.version === undefined || product.version === pkg.version);
}

const digestOf = (value: string): string | undefined => /(?:sha256|sha512):[a-f0-9]{64,128}/i.exec(value)?.[0]?.toLowerCase();

function normalisedReference(reference: string): string | undefined {
  try {
    const ref = parseImageReference(reference);
    return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}`;
  } catch {
    return undefined;
  }
}

/**
 * Does a product name the scanned image: a `pkg:oci/…@<digest>` purl or any id carrying its
 * digest, or its reference (`nginx:1.25` and `docker.io/library/nginx:1.25` alike).
 */
export function namesImage(productId: string, image: GateInput['image']): boolean {
  const id = decode(productId);
  const digest = digestOf(id);
  if (digest !== undefined) return digest === (image.digest?.toLowerCase() ?? digestOf(image.reference));
  if (id.toLowerCase().startsWith('pkg:')) return false;
  const product = normalisedReference(id);
  return product !== undefined && product === normalisedReference(image.reference);
}
