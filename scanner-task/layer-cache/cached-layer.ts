// When a cached layer stands for a fresh read, and what it then is. It stands when every
// cataloger that would run has the version that read it, or, for one that changed (or is new),
// when the layer has no file that cataloger asks for: a bump of one ecosystem re-reads only the
// layers where that ecosystem has files. Where a fresh read would fail (a size or diffID that
// does not match), the layer is read again, and fails as it would have.
import type { Cataloger } from '../catalogers/cataloger.ts';
import { hashesUncompressed, type LayerReadOptions, type LayerScan } from '../image/layer-reader.ts';
import type { CachedLayer } from './layer-cache-entry.ts';

export interface ExpectedLayer {
  digest: string;
  size?: number;
  diffId?: string;
}

/** The versions an entry records for the catalogers that read a layer. */
export const versionsOf = (catalogers: readonly Cataloger[]): Record<string, number> =>
  Object.fromEntries(catalogers.map((cataloger) => [cataloger.name, cataloger.version]));

function wantsAFile(cataloger: Cataloger, scan: LayerScan): boolean {
  for (const [path, meta] of scan.entries)
    if (meta.type === 'file' && cataloger.required({ path, size: meta.size, mode: meta.mode, type: 'file' })) return true;
  return false;
}

export function reuseCachedLayer(
  cached: CachedLayer,
  expected: ExpectedLayer,
  catalogers: readonly Cataloger[],
  limits: LayerReadOptions,
): LayerScan | undefined {
  const { scan } = cached;
  if (scan.digest !== expected.digest) return undefined;
  if (expected.size !== undefined && expected.size >= 0 && expected.size !== scan.compressedSize) return undefined;
  const hashed = hashesUncompressed(scan.compression, expected, limits);
  if (hashed && (cached.computedDiffId === undefined || (expected.diffId !== undefined && expected.diffId !== cached.computedDiffId))) return undefined;

  const running = new Set(catalogers.map((cataloger) => cataloger.name));
  // A cataloger that read the layer but does not run now: fine if it found nothing (its warnings are not told apart).
  const gone = Object.keys(cached.catalogers).filter((name) => !running.has(name));
  if (gone.length > 0 && (scan.warnings.length > 0 || scan.findings.some((finding) => !running.has(finding.cataloger)))) return undefined;
  const changed = catalogers.filter((cataloger) => cached.catalogers[cataloger.name] !== cataloger.version);
  // A path the tar held twice was offered to the catalogers each time; the entries keep only the last.
  if (changed.length > 0 && (scan.repeatedPaths || changed.some((cataloger) => wantsAFile(cataloger, scan)))) return undefined;

  const diffId = scan.compression === 'none' ? scan.digest : hashed ? cached.computedDiffId! : (expected.diffId ?? '');
  return { ...scan, diffId };
}
