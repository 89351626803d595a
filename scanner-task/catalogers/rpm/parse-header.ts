// An rpm header as the rpmdb stores it (no lead, no header magic): index count, data length,
// 16-byte index entries (tag, type, offset, count; big-endian), then the data store.
export interface RpmRecord {
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  license?: string;
  sourceRpm?: string;
  vendor?: string;
}

const TAG = { name: 1000, version: 1001, release: 1002, epoch: 1003, vendor: 1011, license: 1014, arch: 1022, sourceRpm: 1044 } as const;
const TYPE_INT32 = 4;
const TYPE_STRING = 6;
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
  }
  const name = strings.get(TAG.name);
  const version = strings.get(TAG.version);
  const release = strings.get(TAG.release);
  // gpg-pubkey entries are keys imported into the db, not packages.
  if (!name || !version || release === undefined || name === 'gpg-pubkey') return undefined;
  const optional = (key: keyof RpmRecord, value: string | number | undefined) => (value === undefined ? {} : { [key]: value });
  return {
    name, version, release,
    ...optional('epoch', ints.get(TAG.epoch)),
    ...optional('arch', strings.get(TAG.arch)),
    ...optional('license', strings.get(TAG.license)),
    ...optional('sourceRpm', strings.get(TAG.sourceRpm)),
    ...optional('vendor', strings.get(TAG.vendor)),
  } as RpmRecord;
}
