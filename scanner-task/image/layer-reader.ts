// The one pass over a layer: stream the blob once, verify it, decompress once, walk the tar, and
// hand only the files some cataloger asked for to that cataloger. Nothing touches the disk.
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
import type { CatalogResult, Cataloger, EntryType, FileHeader } from '../catalogers/cataloger.ts';
import { ENVELOPE_MAXIMA } from '#shared/envelope/envelope-schema.ts';
import { bodySink, interested, settle, type ReadContext } from './catalog-sink.ts';
import { ImageIntegrityError, ImageTooLargeError } from '#shared/registry/image-errors.ts';
import { decompressor, sniffCompression, VerifyingStream, type Compression } from './layer-streams.ts';
import { normalizeEntryPath } from './safe-path.ts';
import type { TarEntryType } from './tar-header.ts';
import { DEFAULT_WALKER_LIMITS, TarWalker } from './tar-walker.ts';

export interface EntryMeta {
  size: number;
  mode: number;
  type: EntryType;
  /** Symlink or hardlink target, as written (never followed). */
  linkname?: string;
}

export interface Finding {
  cataloger: string;
  path: string;
  result: CatalogResult;
}

export interface LayerScan {
  digest: string;
  diffId: string;
  compression: Compression;
  compressedSize: number;
  uncompressedSize: number;
  entries: Map<string, EntryMeta>;
  whiteouts: string[];
  opaqueDirs: string[];
  findings: Finding[];
  warnings: string[];
  /** A path came twice in the tar: the entries keep the last, but the catalogers were offered each (the layer cache needs to know). */
  repeatedPaths: boolean;
}

/**
 * Bump when readLayer's output for the same bytes and catalogers changes (entries, whiteouts,
 * hard-link findings, the reader's own warnings): it is part of every layer-cache key, so
 * entries written by an older reader are never read back (each cataloger has its own version).
 */
export const LAYER_READER_VERSION = 1;

export interface LayerReadOptions {
  /** Uncompressed bytes per layer: stops decompression bombs from running forever. */
  maxUncompressedBytes: number;
  /**
   * Past its first `inflationFloor` bytes, a layer may inflate to at most this many times the
   * compressed bytes read so far. gzip reaches ~1,000:1 only on runs of zeros, real layers 2–20:1,
   * so a bomb is refused after about a second of inflating instead of at the absolute limit.
   */
  maxInflation: number;
  inflationFloor: number;
  /** Entries per layer (whiteouts included): the entry map is the one thing that grows with a layer. */
  maxEntries: number;
  /** Characters of paths and link targets kept per layer: entries × PATH_MAX would be gigabytes. */
  maxNameChars: number;
  /** PAX and GNU long-name bytes per layer (each record is capped by the walker as well). */
  maxHeaderBytes: number;
  /**
   * Package records the catalogers may find in one layer. A layer listing more than an envelope
   * holds is refused as soon as that is known, before the inventory is built over all of them.
   */
  maxPackageRecords: number;
  /**
   * Also hash the uncompressed stream against the config's diff_id. The verified compressed digest
   * already fixes these bytes, so this is off by default: it would be the single largest CPU cost
   * of a scan (SHA-256 over every uncompressed byte).
   */
  verifyDiffIds: boolean;
}

export const DEFAULT_LAYER_OPTIONS: LayerReadOptions = {
  maxUncompressedBytes: 32 * 1024 ** 3,
  maxInflation: 128,
  inflationFloor: 256 * 1024 ** 2,
  maxEntries: 2_000_000,
  maxNameChars: 128 * 1024 ** 2,
  maxHeaderBytes: DEFAULT_WALKER_LIMITS.maxHeaderBytes,
  maxPackageRecords: ENVELOPE_MAXIMA.packages,
  verifyDiffIds: false,
};

function entryType(type: TarEntryType): EntryType {
  if (type === 'file') return 'file';
  if (type === 'directory') return 'dir';
  if (type === 'symlink') return 'symlink';
  if (type === 'link') return 'hardlink';
  return 'other';
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** Uncompressed layers are their own diff; otherwise the diff is hashed only when asked to or when nothing else was verifiable. */
export const hashesUncompressed = (compression: Compression, expected: { digest?: string }, limits: Pick<LayerReadOptions, 'verifyDiffIds'>): boolean =>
  compression !== 'none' && (limits.verifyDiffIds || !expected.digest);

export async function readLayer(
  raw: Readable,
  expected: { digest?: string; size?: number; diffId?: string },
  catalogers: readonly Cataloger[],
  limits: LayerReadOptions = DEFAULT_LAYER_OPTIONS,
): Promise<LayerScan> {
  const { compression, stream } = await sniffCompression(raw);
  const compressed = new VerifyingStream({ digest: expected.digest, size: expected.size }, `layer ${expected.digest ?? ''}`.trim());
  const hashUncompressed = hashesUncompressed(compression, expected, limits);
  const uncompressed = hashUncompressed ? new VerifyingStream({ digest: expected.diffId }, `layer ${expected.diffId ?? ''} (uncompressed)`.trim()) : undefined;
  const scan: LayerScan = {
    digest: '',
    diffId: '',
    compression,
    compressedSize: 0,
    uncompressedSize: 0,
    entries: new Map(),
    whiteouts: [],
    opaqueDirs: [],
    findings: [],
    warnings: [],
    repeatedPaths: false,
  };
  const context: ReadContext = { scan, pending: [], packageRecords: 0, maxPackageRecords: limits.maxPackageRecords, unsaidWarnings: 0 };
  const hardlinks: Array<{ path: string; target: string }> = [];
  let entries = 0;
  let nameChars = 0;
  const walker = new TarWalker(
    (entry) => {
      // Counted before anything is kept: whiteouts and duplicate paths cost memory too.
      if (++entries > limits.maxEntries)
        throw new ImageTooLargeError(`a layer has more than ${limits.maxEntries.toLocaleString('en')} entries; at most that many are scanned`);
      nameChars += entry.name.length + entry.linkname.length;
      if (nameChars > limits.maxNameChars)
        throw new ImageTooLargeError(
          `a layer's paths and link targets exceed ${limits.maxNameChars.toLocaleString('en')} characters; at most that many are scanned`,
        );
      const path = normalizeEntryPath(entry.name);
      const base = path.slice(path.lastIndexOf('/') + 1);
      const dir = path.slice(0, Math.max(0, path.lastIndexOf('/')));
      const type = entryType(entry.type);
      if (base === OPAQUE) scan.opaqueDirs.push(dir);
      else if (base.startsWith(WHITEOUT)) scan.whiteouts.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
      else if (path !== '') {
        const known = scan.entries.size;
        scan.entries.set(path, { size: entry.size, mode: entry.mode, type, ...(entry.linkname ? { linkname: entry.linkname } : {}) });
        if (scan.entries.size === known) scan.repeatedPaths = true;
      }
      if (type === 'hardlink' && path !== '') hardlinks.push({ path, target: normalizeEntryPath(entry.linkname) });
      if (type !== 'file' || path === '') return undefined;
      const header: FileHeader = { path, size: entry.size, mode: entry.mode, type };
      const wanting = interested(catalogers, header);
      return wanting.length === 0 ? undefined : bodySink(header, wanting, context);
    },
    { maxHeaderBytes: limits.maxHeaderBytes },
  );

  const decompress = decompressor(compression);
  // A plain Writable with a synchronous write, like the decode floor's: no promise per chunk.
  let uncompressedBytes = 0;
  const walk = new Writable({
    write(chunk: Buffer, _encoding, done) {
      // A refusal from an asynchronous parse stops the walk at the next chunk.
      if (context.refusal) {
        done(context.refusal);
        return;
      }
      uncompressedBytes += chunk.length;
      if (uncompressedBytes > limits.maxUncompressedBytes) {
        done(new ImageTooLargeError(`layer ${expected.digest ?? ''} exceeds the ${limits.maxUncompressedBytes}-byte limit (decompression bomb?)`));
        return;
      }
      if (uncompressedBytes > limits.inflationFloor && uncompressedBytes > limits.maxInflation * compressed.bytes) {
        done(
          new ImageTooLargeError(
            `layer ${expected.digest ?? ''} inflates more than ${limits.maxInflation}:1 past its first ${limits.inflationFloor} bytes (decompression bomb?)`,
          ),
        );
        return;
      }
      try {
        walker.write(chunk);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    final(done) {
      try {
        walker.end();
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  try {
    // The uncompressed verifier is a stage of its own only when it hashes; counting happens in walk.
    if (decompress && uncompressed) await pipeline(stream, compressed, decompress, uncompressed, walk);
    else if (decompress) await pipeline(stream, compressed, decompress, walk);
    else await pipeline(stream, compressed, walk);
  } catch (error) {
    if (error instanceof ImageIntegrityError || error instanceof ImageTooLargeError) throw error;
    throw new ImageIntegrityError(`cannot read layer ${expected.digest ?? ''}: ${(error as Error).message}`);
  }
  await settle(context);
  // A hard link is the same file under another name: what was found in its target (read once) is
  // found there too. Indexed by path, so many links cost one lookup each, not a pass over all findings.
  if (hardlinks.length > 0) {
    const byPath = new Map<string, Finding[]>();
    for (const finding of scan.findings) {
      const same = byPath.get(finding.path);
      if (same) same.push(finding);
      else byPath.set(finding.path, [finding]);
    }
    for (const { path, target } of hardlinks) for (const finding of byPath.get(target) ?? []) scan.findings.push({ ...finding, path });
  }
  scan.digest = compressed.digest;
  scan.diffId = compression === 'none' ? compressed.digest : uncompressed ? uncompressed.digest : (expected.diffId ?? '');
  scan.compressedSize = compressed.bytes;
  scan.uncompressedSize = uncompressedBytes;
  return scan;
}
