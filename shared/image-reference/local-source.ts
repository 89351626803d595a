// Local image sources: `oci:<dir>[:tag]`, `oci-archive:<file>[:tag]`, `docker-archive:<file>[:tag]`.
// Only a local deployment accepts them, and only for paths inside the one folder it names
// (HG_LOCAL_SOURCES_DIR): a user must never make a scanner read the task's own files. The
// control plane checks at submission, the scanner task again before it opens anything; both
// use this module.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';

export const LOCAL_SOURCE_KINDS = ['oci', 'oci-archive', 'docker-archive'] as const;
export type LocalSourceKind = (typeof LOCAL_SOURCE_KINDS)[number];

export interface LocalSource {
  kind: LocalSourceKind;
  path: string;
  tag?: string;
}

/** The local source a reference names, or undefined for a registry reference. */
export function parseLocalSource(reference: string): LocalSource | undefined {
  // Longest prefix first: `oci-archive:` also starts with `oci`.
  for (const kind of ['oci-archive', 'docker-archive', 'oci'] as const) {
    if (!reference.startsWith(`${kind}:`)) continue;
    const rest = reference.slice(kind.length + 1);
    // path[:tag]: a colon after the last slash starts the tag (as skopeo reads it).
    const colon = rest.lastIndexOf(':');
    const hasTag = colon > rest.lastIndexOf('/') && colon > 0;
    const path = hasTag ? rest.slice(0, colon) : rest;
    const tag = hasTag ? rest.slice(colon + 1) : undefined;
    return { kind, path, ...(tag ? { tag } : {}) };
  }
  return undefined;
}

export function formatLocalSource(source: LocalSource): string {
  return `${source.kind}:${source.path}${source.tag ? `:${source.tag}` : ''}`;
}

/**
 * The source with its path made real (symlinks and `..` resolved, relative paths taken from the
 * folder), when that real path lies strictly inside the folder's real path and is what the kind
 * reads (a directory for `oci:`, a file for the archives); otherwise a sentence saying why not.
 */
export async function resolveLocalSource(source: LocalSource, folder: string): Promise<{ source: LocalSource; relativePath: string } | { refused: string }> {
  if (source.path.length === 0 || source.path.length > 4096 || source.path.includes('\0')) return { refused: 'the path is empty or malformed' };
  const root = await realpath(folder).catch(() => undefined);
  if (!root) return { refused: 'the local-sources folder does not exist' };
  const real = await realpath(resolve(root, source.path)).catch(() => undefined);
  if (!real) return { refused: `${source.path} does not exist in the local-sources folder` };
  const inside = relative(root, real);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    return { refused: `${source.path} is outside the local-sources folder` };
  }
  const info = await stat(real);
  if (source.kind === 'oci' ? !info.isDirectory() : !info.isFile()) {
    return { refused: `${source.path} is not ${source.kind === 'oci' ? 'a directory (an OCI layout)' : 'a file (an image archive)'}` };
  }
  return { source: { ...source, path: real }, relativePath: inside.split(sep).join('/') };
}
