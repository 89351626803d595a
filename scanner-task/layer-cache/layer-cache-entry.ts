// One layer's analysis as stored bytes, and back. A store is not trusted to keep bytes intact
// (a disk fills mid-write, an object is truncated), so an entry carries the SHA-256 of its body
// and the key it was written for; anything that does not check out decodes to undefined, and the
// layer is read again. Entries are the engine's own format, not a contract: the reader version in
// the key (layer-cache-key.ts) retires them whenever it changes.
import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import type { EntryType } from '../catalogers/cataloger.ts';
import type { Compression } from '../image/layer-streams.ts';
import type { EntryMeta, Finding, LayerScan } from '../image/layer-reader.ts';
import { MAX_LAYER_CACHE_ENTRY_BYTES } from './layer-cache-store.ts';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const MAGIC = 'harborguard-layer-cache 1 ';
const HEADER_BYTES = MAGIC.length + 64 + 1;

/** What a layer was read with, beside what it holds: each cataloger's version, and the uncompressed digest when it was computed. */
export interface CachedLayer {
  scan: LayerScan;
  catalogers: Record<string, number>;
  /** Set when the read hashed the uncompressed stream; otherwise the layer's diffID is whatever its image claims. */
  computedDiffId?: string;
}

const TYPE_CODES: Record<EntryType, string> = { file: 'f', dir: 'd', symlink: 'l', hardlink: 'h', other: 'o' };
const TYPES_BY_CODE = new Map(Object.entries(TYPE_CODES).map(([type, code]) => [code, type as EntryType]));

/** The stored shape: entries as columns, which JSON holds in a fraction of the bytes of one object per entry. */
interface Body {
  key: string;
  catalogers: Record<string, number>;
  computedDiffId?: string;
  digest: string;
  compression: Compression;
  compressedSize: number;
  uncompressedSize: number;
  paths: string[];
  sizes: number[];
  modes: number[];
  types: string;
  links: Array<[number, string]>;
  whiteouts: string[];
  opaqueDirs: string[];
  findings: Finding[];
  warnings: string[];
  repeatedPaths: boolean;
}

export async function encodeLayerEntry(key: string, cached: CachedLayer): Promise<Buffer> {
  const { scan } = cached;
  const paths: string[] = [];
  const sizes: number[] = [];
  const modes: number[] = [];
  const types: string[] = [];
  const links: Array<[number, string]> = [];
  for (const [path, meta] of scan.entries) {
    if (meta.linkname !== undefined) links.push([paths.length, meta.linkname]);
    paths.push(path);
    sizes.push(meta.size);
    modes.push(meta.mode);
    types.push(TYPE_CODES[meta.type]);
  }
  const body: Body = {
    key,
    catalogers: cached.catalogers,
    ...(cached.computedDiffId ? { computedDiffId: cached.computedDiffId } : {}),
    digest: scan.digest,
    compression: scan.compression,
    compressedSize: scan.compressedSize,
    uncompressedSize: scan.uncompressedSize,
    paths,
    sizes,
    modes,
    types: types.join(''),
    links,
    whiteouts: scan.whiteouts,
    opaqueDirs: scan.opaqueDirs,
    findings: scan.findings,
    warnings: scan.warnings,
    repeatedPaths: scan.repeatedPaths,
  };
  // Level 1: entries are mostly paths, which compress well at any level; the time goes to the scan.
  const compressed = await gzipAsync(JSON.stringify(body), { level: 1 });
  const sum = createHash('sha256').update(compressed).digest('hex');
  return Buffer.concat([Buffer.from(`${MAGIC}${sum}\n`, 'latin1'), compressed]);
}

const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string');
const isNumbers = (value: unknown, length: number): value is number[] =>
  Array.isArray(value) && value.length === length && value.every((item) => typeof item === 'number');

/** The entry's layer, or undefined when the bytes are not an intact entry written for this key. */
export async function decodeLayerEntry(key: string, bytes: Buffer): Promise<CachedLayer | undefined> {
  if (bytes.length < HEADER_BYTES || bytes.length > MAX_LAYER_CACHE_ENTRY_BYTES) return undefined;
  const header = bytes.subarray(0, HEADER_BYTES).toString('latin1');
  if (!header.startsWith(MAGIC) || !header.endsWith('\n')) return undefined;
  const compressed = bytes.subarray(HEADER_BYTES);
  if (createHash('sha256').update(compressed).digest('hex') !== header.slice(MAGIC.length, -1)) return undefined;
  let body: Body;
  try {
    body = JSON.parse((await gunzipAsync(compressed, { maxOutputLength: 4 * MAX_LAYER_CACHE_ENTRY_BYTES })).toString('utf8')) as Body;
  } catch {
    return undefined;
  }
  // The checksum rules out corruption; this rules out an entry of another key or another shape.
  if (body?.key !== key || !isStrings(body.paths) || typeof body.types !== 'string' || body.types.length !== body.paths.length) return undefined;
  if (!isNumbers(body.sizes, body.paths.length) || !isNumbers(body.modes, body.paths.length) || !Array.isArray(body.links)) return undefined;
  if (typeof body.catalogers !== 'object' || body.catalogers === null || !Object.values(body.catalogers).every((v) => typeof v === 'number')) return undefined;
  if (!isStrings(body.whiteouts) || !isStrings(body.opaqueDirs) || !isStrings(body.warnings) || !Array.isArray(body.findings)) return undefined;
  const entries = new Map<string, EntryMeta>();
  for (let i = 0; i < body.paths.length; i++) {
    const type = TYPES_BY_CODE.get(body.types[i]!);
    if (!type) return undefined;
    entries.set(body.paths[i]!, { size: body.sizes[i]!, mode: body.modes[i]!, type });
  }
  for (const [index, linkname] of body.links) {
    const meta = entries.get(body.paths[index] ?? '');
    if (!meta || typeof linkname !== 'string') return undefined;
    meta.linkname = linkname;
  }
  return {
    scan: {
      digest: body.digest,
      // Filled in for the image at hand (cached-layer.ts): a diffID the read did not compute is the image's claim.
      diffId: '',
      compression: body.compression,
      compressedSize: body.compressedSize,
      uncompressedSize: body.uncompressedSize,
      entries,
      whiteouts: body.whiteouts,
      opaqueDirs: body.opaqueDirs,
      findings: body.findings,
      warnings: body.warnings,
      repeatedPaths: body.repeatedPaths === true,
    },
    catalogers: body.catalogers,
    ...(typeof body.computedDiffId === 'string' ? { computedDiffId: body.computedDiffId } : {}),
  };
}
