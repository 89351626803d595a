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
  qualifiers: Record<string, string>;
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
  const [path = '', query = ''] = withoutSubpath.split('?');
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
    qualifiers: Object.fromEntries(new URLSearchParams(query)),
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

const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/i;

/** An image as a product names it: `registry/repository`, or only the repository's last part (a `pkg:oci` purl without repository_url). */
interface ImageIdentity {
  name: string;
  nameIsLastPart?: boolean;
  tag?: string;
  digest?: string;
}

function imageOfReference(reference: string): ImageIdentity | undefined {
  try {
    const ref = parseImageReference(reference);
    // The parser reads no tag as `latest`; a product that names none covers every tag, as a purl without a version does.
    const tagged = /:[^/]*$/.test(reference.split('@')[0]!);
    return { name: `${ref.registry}/${ref.repository}`, ...(tagged && ref.tag ? { tag: ref.tag } : {}), ...(ref.digest ? { digest: ref.digest } : {}) };
  } catch {
    return undefined;
  }
}

/** `pkg:oci/<name>@<digest>?repository_url=…&tag=…` and Docker's `pkg:docker/<namespace>/<name>@<tag or digest>?repository_url=…`. */
function imageOfPurl(purl: string): ImageIdentity | undefined {
  const identity = purlIdentity(purl);
  if (!identity || (identity.type !== 'oci' && identity.type !== 'docker')) return undefined;
  const { repository_url: repositoryUrl, tag } = identity.qualifiers;
  const version = identity.version;
  const digest = version !== undefined && DIGEST.test(version) ? version.toLowerCase() : undefined;
  const versionTag = version !== undefined && digest === undefined ? version : undefined;
  const repository = identity.type === 'docker' ? [identity.namespace, identity.name].filter(Boolean).join('/') : identity.name;
  const located = identity.type === 'docker' || repositoryUrl !== undefined;
  const named = located
    ? imageOfReference(identity.type === 'oci' ? repositoryUrl! : repositoryUrl ? `${repositoryUrl}/${repository}` : repository)
    : undefined;
  if (located && !named) return undefined;
  return {
    name: named?.name ?? repository.toLowerCase(),
    ...(located ? {} : { nameIsLastPart: true }),
    ...((tag ?? versionTag) !== undefined ? { tag: tag ?? versionTag } : {}),
    ...(digest ? { digest } : {}),
  };
}

const imageOf = (id: string): ImageIdentity | undefined => {
  if (DIGEST.test(id)) return { name: '', digest: id.toLowerCase() };
  return id.toLowerCase().startsWith('pkg:') ? imageOfPurl(id) : imageOfReference(id);
};

/**
 * Does a product name the scanned image: by digest when the product has one (a `pkg:oci` purl,
 * `name@sha256:…`), else by name (`nginx` and `docker.io/library/nginx` alike) and by tag when it names one.
 */
export function namesImage(productId: string, image: GateInput['image']): boolean {
  const product = imageOf(productId);
  const scanned = imageOfReference(image.reference);
  if (!product) return false;
  if (product.digest !== undefined) return product.digest === (image.digest?.toLowerCase() ?? scanned?.digest);
  if (!scanned) return false;
  const sameName = product.nameIsLastPart ? scanned.name.split('/').at(-1) === product.name : scanned.name === product.name;
  return sameName && (product.tag === undefined || product.tag === scanned.tag);
}
