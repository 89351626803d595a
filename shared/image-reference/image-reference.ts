// Parses and normalises container image references the way Docker does (distribution/reference's
// grammar and ParseNormalizedNamed): [registry[:port]/]repository[:tag][@digest], with docker.io and
// library/ as defaults. The one parser: the control plane and the scanner task both read it, so a
// reference means the same image on both sides. Where HarborGuard normalises further than Docker
// (registry hosts lowercased, registry-1.docker.io read as docker.io) it is because registries are
// keyed by host: credentials, the egress policy and image names must not depend on spelling.
import { ValidationError } from '../errors.ts';

export interface ImageReference {
  registry: string;
  repository: string;
  tag: string | null;
  digest: string | null;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
/**
 * Docker's grammar for a tag and a registry host[:port] (an IPv6 literal may embed an IPv4 one,
 * `[::ffff:10.0.0.1]`, so that the egress policy, not the grammar, is what refuses it); the
 * scanner's source parser uses the same.
 */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
/**
 * A digest as go-digest validates one: a registered algorithm and its full lowercase hex (the
 * grammar's `[0-9a-fA-F]{32,}` alone admits prefixes, which name no blob). sha256 and sha512 are
 * the algorithms the scanner can verify content with; digests become file names and URL paths.
 */
export const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
export const HOST =
  /^(?:localhost|[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::[0-9]{1,5})?$/;

function invalid(field: string, message: string): never {
  throw new ValidationError(`Invalid image reference: ${message}`, [{ path: field, message }]);
}

export function parseImageReference(input: string, field = 'image'): ImageReference {
  const ref = input.trim();
  if (ref.length === 0 || ref.length > 512) invalid(field, 'must be 1–512 characters');
  let rest = ref;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) invalid(field, `"${digest}" is not a valid digest (algorithm:hex)`);
  }
  let tag: string | null = null;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) invalid(field, `"${tag}" is not a valid tag`);
  }
  const parts = rest.split('/');
  let registry = 'docker.io';
  const first = parts[0]!;
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
    if (!HOST.test(first)) invalid(field, `"${first}" is not a valid registry host`);
    // Host names are case-insensitive (RFC 4343): one spelling, so `Ghcr.io` finds ghcr.io's credentials.
    registry = first.toLowerCase();
    parts.shift();
  }
  registry = canonicalRegistry(registry);
  if (registry === 'docker.io' && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || parts.some((part) => !COMPONENT.test(part))) {
    invalid(field, `"${rest}" is not a valid repository (lowercase letters, digits and separators)`);
  }
  if (tag === null && digest === null) tag = 'latest';
  return { registry, repository: parts.join('/'), tag, digest };
}

/**
 * Docker Hub answers to several names: index.docker.io (which Docker itself folds into docker.io)
 * and registry-1.docker.io (the host its API is served from); HarborGuard keys everything by docker.io.
 */
function canonicalRegistry(host: string): string {
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

/** A registry host as image references name it (host[:port]), normalised like theirs. */
export function parseRegistryHost(input: string, field = 'host'): string {
  if (input.length > 260 || !HOST.test(input)) {
    throw new ValidationError('Invalid registry host', [{ path: field, message: 'must be a registry host such as ghcr.io or registry.example.com:5000' }]);
  }
  return canonicalRegistry(input.toLowerCase());
}

/** The registry of a normalised image name or reference (its first path segment). */
export function registryOf(normalisedReference: string): string {
  return normalisedReference.slice(0, normalisedReference.indexOf('/'));
}

export function imageName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

export function formatImageReference(ref: ImageReference): string {
  return imageName(ref) + (ref.tag ? `:${ref.tag}` : '') + (ref.digest ? `@${ref.digest}` : '');
}
