// What a registry provider knows: how its push notifications authenticate, and how to read the
// images pushed out of one. One provider per file in this folder, listed once in index.ts; the
// hook endpoint (functions/domain/integrations/receive-hook.ts) knows none by name.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '#shared/errors.ts';
import { DIGEST, formatImageReference, parseImageReference, parseRegistryHost, TAG } from '#shared/image-reference/image-reference.ts';
import * as z from '#shared/validation.ts';

export const PROVIDER_KINDS = ['distribution', 'harbor', 'dockerhub', 'github', 'gitlab', 'quay', 'ecr'] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A request to POST /api/hooks/{integrationId}, as the provider sent it. */
export interface InboundHookRequest {
  /** Header names lower-cased. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** The raw body: signatures are over the bytes, not a re-serialisation. */
  body: Buffer;
}

/** An image the notification says was pushed. */
export interface PushedImage {
  /** The registry host as image references name it: docker.io, ghcr.io, registry.example.com:5000. */
  host: string;
  /** The repository path on that host, without tag or digest (library/nginx, acme/api). */
  repository: string;
  tag: string | null;
  /** sha256:… when the provider says; null when it names only a tag (Docker Hub, Quay). */
  digest: string | null;
}

export type ParsedHook =
  /** `eventId` is stable across the provider's redeliveries of the same notification. */
  | { kind: 'push'; eventId: string; images: PushedImage[] }
  /** A well-formed notification that starts nothing (a pull, a delete, a ping): answered 202. */
  | { kind: 'ignored'; reason: string };

export interface RegistryProvider {
  kind: ProviderKind;
  /** For people: "CNCF Distribution (docker-registry)". */
  title: string;
  /** How the integration's secret is presented, in a sentence for the docs and the API. */
  authentication: string;
  /** True when the request proves it knows `secret`; in constant time. */
  authenticate(request: InboundHookRequest, secret: string): boolean;
  /** Throws ValidationError (shared/errors.ts) for a body this provider never sends. */
  parse(request: InboundHookRequest): ParsedHook;
}

/** Equal strings, compared in constant time (both hashed first, so their lengths leak nothing). */
export function sameSecret(given: string | undefined, secret: string): boolean {
  if (given === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(secret));
}

/** `sha256=<hex>` of the body under `secret`, compared in constant time: GitHub's X-Hub-Signature-256. */
export function signedBody(signature: string | undefined, body: Buffer, secret: string): boolean {
  return sameSecret(signature, `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
}

/** A stable id for a notification that carries none: the hash of its body. */
export const bodyEventId = (body: Buffer) => `sha256:${createHash('sha256').update(body).digest('hex')}`;

// Reading a notification, for every provider: the body as JSON, each field checked against the
// grammar the rest of the product holds image references to (shared/image-reference), so that a
// hostile or broken payload is refused here (ValidationError, 400) instead of naming an image
// that a scan would refuse later, or a different image than the one pushed.

/** The most events, resources or tags one notification may name; a push names a handful. */
export const MAX_ITEMS = 100;

/** The body as JSON, or ValidationError. */
export function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new ValidationError('The hook body is not JSON', [{ path: '(body)', message: 'must be a JSON document' }]);
  }
}

const MAX_ISSUES = 20;
/** Clipped, as a payload's keys and values are the sender's choice. */
export const clipped = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `value` read by `schema`, or ValidationError naming the first issues; `at` prefixes their paths. */
export function validated<S extends z.ZodMiniType>(schema: S, value: unknown, what: string, at = ''): z.output<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const path = issue.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 && !at ? '' : '.'}${String(p)}`)).join('');
    return { path: clipped(`${at}${path}`) || '(body)', message: clipped(issue.message) };
  });
  throw new ValidationError(`Not ${what}: ${issues.map((i) => i.path).join(', ')}`, issues);
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
/** The OCI distribution spec's repository name, as image-reference.ts reads one (its length is checked first). */
export const REPOSITORY = new RegExp(`^${COMPONENT}(?:/${COMPONENT})*$`);

export const fields = {
  repository: z
    .string()
    .check(
      z.maxLength(255, { abort: true }),
      z.regex(REPOSITORY, 'must be a repository path: lowercase letters and digits, joined by . _ __ or -, in components separated by /'),
    ),
  tag: z.string().check(z.regex(TAG, 'must be a tag: up to 128 letters, digits, _ . or -, not starting with . or -')),
  digest: z.string().check(z.regex(DIGEST, 'must be a digest: sha256:<64 hex> or sha512:<128 hex>')),
  eventId: z.string().check(z.regex(/^[\x21-\x7e]{1,128}$/, 'must be 1–128 printable ASCII characters')),
  /** A string read only to be compared or quoted. */
  text: (max = 256) => z.string().check(z.maxLength(max)),
};

/**
 * The image a notification names, normalised as image references are (docker.io's single-component
 * names under library/), and refused unless its reference reads back as the same image: a host the
 * reference grammar would not take for one (`registry/app` reads as Docker Hub's registry/app) is not
 * a host a push can name.
 */
export function pushedImage(at: string, image: { host: string; repository: string; tag: string | null; digest: string | null }): PushedImage {
  const host = parseRegistryHost(image.host, `${at}.host`);
  const repository = host === 'docker.io' && !image.repository.includes('/') ? `library/${image.repository}` : image.repository;
  const { tag, digest } = image;
  const read = parseImageReference(formatImageReference({ registry: host, repository, tag, digest }), at);
  if (read.registry !== host || read.repository !== repository || read.tag !== tag || read.digest !== digest || !REPOSITORY.test(repository)) {
    throw new ValidationError('Invalid image reference: the notification names an image no reference can', [
      { path: at, message: `${clipped(host, 64)}/${clipped(repository, 64)} does not read back as the same image` },
    ]);
  }
  return { host, repository, tag, digest };
}

/** The same image named twice in one notification starts one scan. */
export function distinctImages(images: PushedImage[]): PushedImage[] {
  const seen = new Set<string>();
  return images.filter((image) => {
    const key = formatImageReference({ registry: image.host, repository: image.repository, tag: image.tag, digest: image.digest });
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

export const ignored = (reason: string): ParsedHook => ({ kind: 'ignored', reason });

/**
 * Why a push that names no tag starts nothing: registries announce each platform manifest of a
 * multi-arch image (and its attestations) as such a push, beside the tagged index that names them all;
 * scanning each would scan one image many times, and attestations are not images.
 */
export const UNTAGGED = 'without a tag (as the platform manifests and attestations of a multi-arch image are, beside its tagged index)';

/** A value the sender chose, quoted for a reason or message. */
export const quoted = (value: string) => JSON.stringify(clipped(value, 64));

/** The token of `Authorization: Bearer <token>` (the scheme is case-insensitive), else undefined. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^bearer +(.+)$/i.exec(authorization ?? '');
  return match?.[1];
}

/** A stable id for several ids (a distribution envelope's events): the one, or the hash of all. */
export const combinedEventId = (ids: string[]) => (ids.length === 1 ? ids[0]! : `events:${createHash('sha256').update(ids.join('\n'), 'utf8').digest('hex')}`);
