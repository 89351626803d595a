// Both tar readers decode headers with tar-header.ts: they must read one archive the same way,
// including the cases where they once disagreed.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BLOCK, decodeTarHeader } from './tar-header.ts';
import { TarFileStore } from './tar-file-store.ts';
import { TarWalker } from './tar-walker.ts';

interface Fields {
  name: string;
  flag?: string;
  size?: number;
  linkname?: string;
  magic?: 'posix' | 'gnu';
  prefix?: string;
  atime?: string;
}

function header({ name, flag = '0', size = 0, linkname = '', magic = 'posix', prefix = '', atime = '' }: Fields): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, 100, 'utf8');
  block.write('0000644\0', 100);
  block.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  block.write(flag, 156, 'latin1');
  block.write(linkname, 157, 100, 'utf8');
  block.write(magic === 'posix' ? 'ustar\u000000' : 'ustar  \u0000', 257, 'latin1');
  // ustar keeps a name prefix at 345; GNU keeps the access and change times there instead.
  block.write(magic === 'posix' ? prefix : atime, 345, 'latin1');
  block.write('        ', 148);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return block;
}
const body = (text: string): Buffer => Buffer.concat([Buffer.from(text), Buffer.alloc((BLOCK - (text.length % BLOCK)) % BLOCK)]);
const pax = (records: Record<string, string>): string =>
  Object.entries(records)
    .map(([key, value]) => {
      const line = ` ${key}=${value}\n`;
      let length = line.length + 1;
      while (String(length).length + line.length !== length) length++;
      return `${length}${line}`;
    })
    .join('');

const longPath = `${'deep/'.repeat(40)}os-release`;
const archive = Buffer.concat([
  // GNU tar's own format with times recorded (--incremental, or --format=gnu with atime): no prefix.
  header({ name: 'etc/hostname', size: 5, magic: 'gnu', atime: '14723004065\u000014723004065' }),
  body('host\n'),
  header({ name: 'hostname', size: 5, prefix: 'usr/lib' }),
  body('libh\n'),
  header({ name: 'PaxHeaders/0', flag: 'x', size: pax({ path: longPath }).length }),
  body(pax({ path: longPath })),
  header({ name: 'short', size: 3 }),
  body('pax'),
  header({ name: '././@LongLink', flag: 'L', size: longPath.length + 1 }),
  body(`${longPath.replace('os-release', 'gnu')}\0`),
  header({ name: 'short2', size: 3 }),
  body('gnu'),
  // A hard link's size field is not followed by data (as Go's archive/tar reads it, and GNU tar writes it).
  header({ name: 'hard', flag: '1', size: 4, linkname: 'etc/hostname' }),
  header({ name: 'after-link', size: 4 }),
  body('next'),
  Buffer.alloc(2 * BLOCK),
]);
const NAMES = {
  'etc/hostname': 'host\n',
  'usr/lib/hostname': 'libh\n',
  [longPath]: 'pax',
  [longPath.replace('os-release', 'gnu')]: 'gnu',
  hard: 'host\n',
  'after-link': 'next',
};

describe('decodeTarHeader', () => {
  it("joins a ustar prefix and leaves the GNU format's time fields out of the name", () => {
    expect(decodeTarHeader(archive.subarray(0, BLOCK))).toMatchObject({ name: 'etc/hostname', type: 'file', size: 5, mode: 0o644 });
    expect(decodeTarHeader(archive.subarray(2 * BLOCK, 3 * BLOCK))).toMatchObject({ name: 'usr/lib/hostname' });
    expect(decodeTarHeader(Buffer.alloc(BLOCK))).toBeUndefined();
    expect(() => decodeTarHeader(Buffer.alloc(BLOCK, 0x41))).toThrow(/checksum/);
  });

  it('gives the layer walker and the archive index the same entries', async () => {
    const walked = new Map<string, string>();
    const walker = new TarWalker((entry) => {
      if (entry.type === 'link') walked.set(entry.name, `→${entry.linkname}`);
      if (entry.type !== 'file') return undefined;
      const chunks: Buffer[] = [];
      return { write: (chunk) => chunks.push(Buffer.from(chunk)), end: () => walked.set(entry.name, Buffer.concat(chunks).toString()) };
    });
    for (let at = 0; at < archive.length; at += 100) walker.write(archive.subarray(at, at + 100));
    walker.end();
    expect(Object.fromEntries(walked)).toEqual({ ...NAMES, hard: '→etc/hostname' });

    const file = join(mkdtempSync(join(tmpdir(), 'hg-tar-header-')), 'archive.tar');
    writeFileSync(file, archive);
    const store = await TarFileStore.open(file);
    try {
      for (const [name, content] of Object.entries(NAMES)) expect((await store.readSmall(name, 1024))?.toString(), name).toBe(content);
    } finally {
      await store.close();
    }
  });
});
