// An rpm header as the rpmdb stores it (no lead, no header magic): index count, data length,
// 16-byte index entries (tag, type, offset, count; big-endian), then the data store.
import { isOwnedMetadata } from '../owned-metadata.ts';

export interface RpmRecord {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  license?: string;
  sourceRpm?: string;
  vendor?: string;
  /** The package's files that are language metadata (owned-metadata.ts), without a leading slash. */
  metadataFiles?: string[];
}

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, vendor: 1011, license: 1014, arch: 1022, sourceRpm: 1044 } as const;
// The file list, as rpm stores it since 4.x: DIRINDEXES[i] picks the directory of BASENAMES[i].
const FILE_TAG = { dirIndexes: 1116, baseNames: 1117, dirNames: 1118 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
const TYPE_STRING_ARRAY = 8;
const TYPE_I18NSTRING = 9;
const MAX_INDEX = 0xffff;

export function parseRpmHeader(blob: Uint8Array): RpmRecord | undefined {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length < 8) return undefined;
  const count = bytes.readUInt32BE(0);
  const dataLength = bytes.readUInt32BE(4);
  const dataStart = 8 + count * 16;
  if (count > MAX_INDEX || dataStart + dataLength > bytes.length) return undefined;
  const strings = new Map<number, string>();
  const ints = new Map<number, number>();
  const fileEntries = new Map<number, { type: number; start: number; count: number }>();
  for (let i = 0; i < count; i++) {
    const at = 8 + i * 16;
    const tag = bytes.readUInt32BE(at);
    const type = bytes.readUInt32BE(at + 4);
    const offset = bytes.readUInt32BE(at + 8);
    if (offset >= dataLength) continue;
    const start = dataStart + offset;
    if (type === TYPE_STRING || type === TYPE_I18NSTRING) {
      const end = bytes.indexOf(0, start);
      if (end !== -1 && end < dataStart + dataLength) strings.set(tag, bytes.toString('utf8', start, end));
    } else if (type === TYPE_INT32 && start + 4 <= dataStart + dataLength) ints.set(tag, bytes.readInt32BE(start));
    if (tag === FILE_TAG.dirIndexes || tag === FILE_TAG.baseNames || tag === FILE_TAG.dirNames)
      fileEntries.set(tag, { type, start, count: bytes.readUInt32BE(at + 12) });
  }
  const name = strings.get(TAG.name);
  const version = strings.get(TAG.version);
  const release = strings.get(TAG.release);
  // gpg-pubkey entries are keys imported into the db, not packages.
  if (!name || !version || release === undefined || name === 'gpg-pubkey') return undefined;
  const optional = (key: keyof RpmRecord, value: string | number | string[] | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    name,
    version,
    release,
    ...optional('epoch', ints.get(TAG.epoch)),
    ...optional('arch', strings.get(TAG.arch)),
    ...optional('license', strings.get(TAG.license)),
    ...optional('sourceRpm', strings.get(TAG.sourceRpm)),
    ...optional('vendor', strings.get(TAG.vendor)),
    ...optional('metadataFiles', metadataFiles(bytes.subarray(0, dataStart + dataLength), fileEntries)),
  };
}

/** `count` NUL-terminated strings from `start`, fewer when the data store ends first. */
function stringArray(bytes: Buffer, start: number, count: number): string[] {
  const out: string[] = [];
  for (let at = start; out.length < count && at < bytes.length;) {
    const end = bytes.indexOf(0, at);
    if (end === -1) break;
    out.push(bytes.toString('utf8', at, end));
    at = end + 1;
  }
  return out;
}

/** The listed files that are language metadata (a RHEL image lists ~30,000 files: a test each is milliseconds). */
function metadataFiles(bytes: Buffer, entries: Map<number, { type: number; start: number; count: number }>): string[] | undefined {
  const base = entries.get(FILE_TAG.baseNames);
  const dirs = entries.get(FILE_TAG.dirNames);
  const indexes = entries.get(FILE_TAG.dirIndexes);
  if (base?.type !== TYPE_STRING_ARRAY || dirs?.type !== TYPE_STRING_ARRAY || indexes?.type !== TYPE_INT32) return undefined;
  if (indexes.start + indexes.count * 4 > bytes.length) return undefined;
  const dirNames = stringArray(bytes, dirs.start, dirs.count);
  const found: string[] = [];
  stringArray(bytes, base.start, Math.min(base.count, indexes.count)).forEach((name, i) => {
    const path = `${dirNames[bytes.readUInt32BE(indexes.start + i * 4)] ?? ''}${name}`;
    if (isOwnedMetadata(path)) found.push(path.replace(/^\/+/, ''));
  });
  return found.length > 0 ? found : undefined;
}
