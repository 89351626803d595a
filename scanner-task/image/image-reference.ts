// Parsing the <source> argument: transport prefixes for local images, anything else is a registry reference.
import { HOST, TAG } from '#shared/image-reference/image-reference.ts';
import { DIGEST } from './blob-store.ts';

export type ImageReference =
  | { kind: 'oci'; path: string; tag?: string }
  | { kind: 'oci-archive'; path: string; tag?: string }
  | { kind: 'docker-archive'; path: string; tag?: string }
  | { kind: 'registry'; registry: string; repository: string; tag?: string; digest?: string };

// path[:tag] — a colon after the last slash starts the tag (paths rarely contain one; skopeo does the same).
function splitPathTag(rest: string): { path: string; tag?: string } {
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/') && colon > 0) return { path: rest.slice(0, colon), tag: rest.slice(colon + 1) };
  return { path: rest };
}

const DOCKER_HUB = 'docker.io';

const LOCAL_TRANSPORTS = ['oci-archive', 'docker-archive', 'oci'] as const;

/** Whether the source says how to read it (a local transport or docker://), rather than leaving it to be taken as a registry reference. */
export const namesTransport = (source: string): boolean => source.startsWith('docker://') || LOCAL_TRANSPORTS.some((kind) => source.startsWith(`${kind}:`));

export function parseImageReference(source: string): ImageReference {
  for (const kind of LOCAL_TRANSPORTS) {
    if (source.startsWith(`${kind}:`)) {
      const { path, tag } = splitPathTag(source.slice(kind.length + 1));
      if (!path) throw new Error(`missing path in "${source}"`);
      return { kind, path, ...(tag ? { tag } : {}) };
    }
  }
  const bare = source.replace(/^docker:\/\//, '');
  let rest = bare;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash === -1 ? '' : rest.slice(0, firstSlash);
  // Docker's rule: the first component is a registry only if it looks like a host.
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  let registry = hasRegistry ? first : DOCKER_HUB;
  let repository = hasRegistry ? rest.slice(firstSlash + 1) : rest;
  if (registry === DOCKER_HUB && !repository.includes('/')) repository = `library/${repository}`;
  if (registry === 'index.docker.io') registry = DOCKER_HUB;
  // Each part goes into a registry URL: only Docker's grammar, so none can add a path or query.
  if (!/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(repository) || !HOST.test(registry) || (tag !== undefined && !TAG.test(tag)) || (digest !== undefined && !DIGEST.test(digest))) {
    throw new Error(`invalid image reference "${source.slice(0, 600)}"`);
  }
  return { kind: 'registry', registry, repository, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}), ...(!tag && !digest ? { tag: 'latest' } : {}) };
}
