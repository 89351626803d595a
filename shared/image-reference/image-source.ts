// What a scan's source names: a local image (`oci:`, `oci-archive:`, `docker-archive:`) or a
// registry reference, which may be written `docker://…`. The scanner task opens images by it; the
// registry form is the one image-reference parser's, so the engine, the external tools and the
// control plane all read a reference as the same image.
import { ValidationError } from '../errors.ts';
import { parseImageReference, type ImageReference } from './image-reference.ts';
import { LOCAL_SOURCE_KINDS, parseLocalSource, type LocalSource } from './local-source.ts';

export type ImageSource = LocalSource | ({ kind: 'registry' } & ImageReference);

/** Whether the source says how to read it (a local transport or docker://), rather than leaving it to be taken as a registry reference. */
export const namesTransport = (source: string): boolean => source.startsWith('docker://') || LOCAL_SOURCE_KINDS.some((kind) => source.startsWith(`${kind}:`));

export function parseImageSource(source: string, field = 'source'): ImageSource {
  const local = parseLocalSource(source);
  if (local) {
    if (local.path === '')
      throw new ValidationError(`Invalid image source: missing path in "${source.slice(0, 600)}"`, [{ path: field, message: 'a local source names a path' }]);
    return local;
  }
  return { kind: 'registry', ...parseImageReference(source.replace(/^docker:\/\//, ''), field) };
}
