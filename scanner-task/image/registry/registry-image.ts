// Resolving an image from a registry: manifest (or index → platform), config, and lazily opened layers.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';
import { bodyOf, ResponseTooLargeError } from '#shared/egress/egress-fetch.ts';
import type { EgressPolicy } from '#shared/egress/egress-policy.ts';
import { METADATA_LIMIT, wellFormedDigest } from '../blob-store.ts';
import { parseJson, verifyDigest } from '../json-blob.ts';
import type { ImageSource } from '#shared/image-reference/image-source.ts';
import { type ImageConfig, type ImageIndex, type ImageManifest, isIndex, MEDIA_TYPES, type Platform } from '../oci-types.ts';
import { selectPlatform } from '../platform.ts';
import type { ResolvedImage } from '../resolved-image.ts';
import { ecrCredentials } from './ecr-credentials.ts';
import { MANIFEST_ACCEPT } from '#shared/registry/media-types.ts';
import { type Credentials, RegistryClient } from '#shared/registry/registry-client.ts';

export interface RegistryOptions {
  /** Plain HTTP only. */
  insecure?: boolean;
  /** HTTPS first, plain HTTP if TLS cannot connect (registry-client.ts). */
  plainHttpFallback?: boolean;
  credentials?: Credentials;
  retry?: { attempts?: number; backoffMs?: number };
  /** Where the pull may connect (the scanner task enforces one; the CLI only when asked). */
  egress?: EgressPolicy;
  /** Token-service hosts trusted with the credentials besides the registry's own. */
  realmHosts?: readonly string[];
}

// Always send Accept: a registry answers 404 to a manifest GET whose Accept does not cover its type.

async function readLimited(response: Response, what: string): Promise<Buffer> {
  try {
    return await bodyOf(response, METADATA_LIMIT);
  } catch (error) {
    if (error instanceof ResponseTooLargeError) throw new ImageIntegrityError(`${what}: ${error.message}`);
    throw error;
  }
}

const MANIFEST_TYPES = new Set<string>(Object.values(MEDIA_TYPES));

async function getManifest(client: RegistryClient, reference: string): Promise<{ document: ImageIndex | ImageManifest; digest: string }> {
  const response = await client.get(`manifests/${reference}`, MANIFEST_ACCEPT);
  const bytes = await readLimited(response, 'manifest');
  // A 200 that is not a manifest came from something that is not a registry.
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
  let document: ImageIndex | ImageManifest;
  try {
    document = JSON.parse(bytes.toString('utf8')) as ImageIndex | ImageManifest;
  } catch {
    throw MANIFEST_TYPES.has(type) ? new ImageIntegrityError('manifest is not valid JSON') : client.unreachable();
  }
  if (!MANIFEST_TYPES.has(type) && (typeof document !== 'object' || document === null || !('schemaVersion' in document))) throw client.unreachable();
  const header = response.headers.get('docker-content-digest') ?? undefined;
  const expected = reference.includes(':') ? reference : header && wellFormedDigest(header);
  if (expected) verifyDigest(bytes, expected, 'manifest');
  const digest = expected ?? `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  return { document, digest };
}

export async function resolveRegistryImage(
  ref: Extract<ImageSource, { kind: 'registry' }>,
  platform: Platform,
  options: RegistryOptions,
): Promise<ResolvedImage> {
  const credentials = options.credentials ?? (await ecrCredentials(ref.registry));
  const client = new RegistryClient(ref.registry, ref.repository, {
    ...(options.insecure ? { insecure: true } : {}),
    ...(options.plainHttpFallback ? { plainHttpFallback: true } : {}),
    ...(credentials ? { credentials } : {}),
    ...(options.egress ? { egress: options.egress } : {}),
    ...(options.realmHosts ? { realmHosts: options.realmHosts } : {}),
    ...options.retry,
  });
  let { document, digest } = await getManifest(client, ref.digest ? wellFormedDigest(ref.digest) : (ref.tag ?? 'latest'));
  if (isIndex(document))
    ({ document, digest } = await getManifest(client, wellFormedDigest(selectPlatform((document as ImageIndex).manifests, platform).digest)));
  const manifest = document as ImageManifest;
  if (!manifest.config?.digest || !Array.isArray(manifest.layers))
    throw new ImageIntegrityError('manifest has no config or layers (schema 1 manifests are not supported)');
  // Every digest is checked before it goes into a URL: `sha256:../../x?y=` must not reach another path.
  for (const layer of manifest.layers) wellFormedDigest(layer?.digest);
  const configBytes = await readLimited(await client.get(`blobs/${wellFormedDigest(manifest.config.digest)}`), 'image config');
  verifyDigest(configBytes, manifest.config.digest, 'image config');
  return {
    name: `${ref.registry}/${ref.repository}`,
    ...(ref.tag ? { tag: ref.tag } : {}),
    manifestDigest: digest,
    config: parseJson<ImageConfig>(configBytes, 'image config'),
    configBytes,
    configDigest: manifest.config.digest,
    layers: manifest.layers.map((descriptor) => ({
      descriptor,
      contentAddressed: true,
      open: async () => Readable.fromWeb((await client.get(`blobs/${descriptor.digest}`)).body as import('node:stream/web').ReadableStream<Uint8Array>),
    })),
    close: async () => {},
  };
}
