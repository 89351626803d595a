// Which image a task may open: any registry reference, but a local source (oci:, oci-archive:,
// docker-archive:) only inside this runtime's own local-sources folder (HG_LOCAL_SOURCES_DIR,
// set only by the local stack). The control plane checked the same at submission; this is the
// second line, so that a message that got past it still cannot make the task read its own files.
import { formatLocalSource, parseLocalSource, resolveLocalSource } from '#shared/image-reference/local-source.ts';
import { ImageSourceError } from '#shared/registry/image-errors.ts';

/** The reference to open: registry references unchanged, local sources by their checked real path. */
export async function permittedSource(reference: string, localSourcesDir: string | undefined): Promise<string> {
  const local = parseLocalSource(reference);
  if (!local) return reference;
  if (!localSourcesDir) throw new ImageSourceError(`${local.kind}: sources are not accepted by this scanner runtime (it has no local-sources folder)`);
  const resolved = await resolveLocalSource(local, localSourcesDir);
  if ('refused' in resolved) throw new ImageSourceError(`Local image source refused: ${resolved.refused}`);
  return formatLocalSource(resolved.source);
}
