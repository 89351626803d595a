// Go build info (Go >= 1.18 binaries): the "\xff Go buildinf:" header followed, when flag bit 2 is set,
// by two varint-prefixed strings — the Go version and the module info text (`go version -m`).
// Older binaries keep pointers into the data segment instead; those are not decoded (reported as none).
export const BUILDINFO_MAGIC = Buffer.from('\xff Go buildinf:', 'latin1');
const HEADER_SIZE = 32;
const FLAG_INLINE_STRINGS = 0x2;
// The module info text is framed by 16-byte sentinels that cmd/go writes around it.
const SENTINEL = 16;

export interface GoModule {
  path: string;
  version: string;
  replacedBy?: { path: string; version: string };
}

export interface BuildInfo {
  goVersion: string;
  path?: string;
  main?: GoModule;
  deps: GoModule[];
}

function readVarint(bytes: Buffer, at: number): [value: number, next: number] | undefined {
  let value = 0;
  let shift = 0;
  for (let i = at; i < bytes.length && shift < 35; i++) {
    value += (bytes[i]! & 0x7f) * 2 ** shift;
    if ((bytes[i]! & 0x80) === 0) return [value, i + 1];
    shift += 7;
  }
  return undefined;
}

/** `header` starts at the magic; undefined when the binary uses the pre-1.18 pointer format or is cut short. */
export function parseBuildInfo(header: Buffer): BuildInfo | undefined {
  if (header.length < HEADER_SIZE || !header.subarray(0, BUILDINFO_MAGIC.length).equals(BUILDINFO_MAGIC)) return undefined;
  if ((header[15]! & FLAG_INLINE_STRINGS) === 0) return undefined;
  const version = readVarint(header, HEADER_SIZE);
  if (!version || version[1] + version[0] > header.length) return undefined;
  const goVersion = header.toString('utf8', version[1], version[1] + version[0]);
  const mod = readVarint(header, version[1] + version[0]);
  if (!mod || mod[1] + mod[0] > header.length) return undefined;
  let text = header.toString('latin1', mod[1], mod[1] + mod[0]);
  if (text.length >= 2 * SENTINEL + 1 && text[text.length - SENTINEL - 1] === '\n') text = text.slice(SENTINEL, -SENTINEL);
  return { goVersion, ...parseModInfo(Buffer.from(text, 'latin1').toString('utf8')) };
}

function parseModInfo(text: string): Omit<BuildInfo, 'goVersion'> {
  const info: Omit<BuildInfo, 'goVersion'> = { deps: [] };
  let last: GoModule | undefined;
  for (const line of text.split('\n')) {
    const [kind, path, version] = line.split('\t');
    if (kind === 'path' && path) info.path = path;
    else if ((kind === 'mod' || kind === 'dep') && path) {
      last = { path, version: version ?? '' };
      if (kind === 'mod') info.main = last;
      else info.deps.push(last);
    } else if (kind === '=>' && path && last) last.replacedBy = { path, version: version ?? '' };
  }
  return info;
}
