// A bound on what one package record may hold before the engine keeps it. Packages are keyed by
// their fields in several maps (per-layer indexes, de-duplication, ownership), and V8 hashes a
// string longer than 16,383 characters by its length alone: a file of many such records would make
// every lookup compare whole strings, quadratic in the file. No real name or version comes near
// these lengths; the envelope's own, stricter limits are applied later (engine/envelope-fit.ts).
import type { PackageDraft } from '#shared/packages/package.ts';
import { MAX_PATH_LENGTH } from '../image/tar-walker.ts';

const MAX_FIELD = 2048;

/** The first field of `draft` over its bound, or undefined when every field is within it. */
export function oversizedField(draft: PackageDraft): string | undefined {
  for (const field of ['name', 'version', 'arch', 'sourceName', 'sourceVersion'] as const) {
    if ((draft[field]?.length ?? 0) > MAX_FIELD) return field;
  }
  if ((draft.location?.length ?? 0) > MAX_PATH_LENGTH) return 'location';
  return draft.purl.length > MAX_PATH_LENGTH ? 'purl' : undefined;
}
