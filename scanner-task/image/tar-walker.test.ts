// The hand-written walker against GNU tar's own archives (gnu, pax, ustar formats: long names,
// prefixes, links, unicode), read back by tar-stream as the reference, fed in awkward chunk sizes.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, linkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { extract } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';
import { TarWalker } from './tar-walker.ts';

function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'hg-tar-'));
  const deep = join(root, 'a'.repeat(60), 'b'.repeat(60), 'c'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, `${'long-file-name-'.repeat(8)}.txt`), 'deep\n'.repeat(1000));
  writeFileSync(join(root, 'ünïcødé ✓.txt'), 'unicode');
  writeFileSync(join(root, 'empty'), '');
  writeFileSync(join(root, 'exactly-512'), Buffer.alloc(512, 7));
  writeFileSync(join(root, 'big.bin'), Buffer.alloc(300_001, 3));
  symlinkSync(`../${'x'.repeat(150)}`, join(root, 'long-link'));
  linkSync(join(root, 'big.bin'), join(root, 'hard.bin'));
  return root;
}

const digest = (chunks: Buffer[]): string => createHash('sha256').update(Buffer.concat(chunks)).digest('hex');

function walk(archive: Buffer, chunkSize: number): string[] {
  const seen: string[] = [];
  const walker = new TarWalker((entry) => {
    const chunks: Buffer[] = [];
    const describe = `${entry.type} ${entry.name} ${entry.size} ${entry.linkname}`;
    if (entry.type !== 'file') {
      seen.push(describe);
      return undefined;
    }
    return { write: (c) => chunks.push(Buffer.from(c)), end: () => seen.push(`${describe} ${digest(chunks)}`) };
  });
  for (let at = 0; at < archive.length; at += chunkSize) walker.write(archive.subarray(at, at + chunkSize));
  walker.end();
  return seen;
}

async function reference(archive: Buffer): Promise<string[]> {
  const seen: string[] = [];
  const tar = extract();
  tar.on('entry', (header, body, next) => {
    const chunks: Buffer[] = [];
    body.on('data', (c: unknown) => chunks.push(c as Buffer));
    body.on('end', () => {
      const type = header.type === 'contiguous-file' ? 'file' : header.type;
      const name = type === 'directory' && !header.name.endsWith('/') ? `${header.name}/` : header.name;
      const size = type === 'file' ? header.size : 0;
      seen.push(`${type} ${name} ${size} ${header.linkname ?? ''}${type === 'file' ? ` ${digest(chunks)}` : ''}`);
      next();
    });
  });
  await new Promise<void>((ok, fail) =>
    Readable.from([archive])
      .pipe(tar as unknown as NodeJS.WritableStream)
      .on('finish', ok)
      .on('error', fail),
  );
  return seen;
}

describe('TarWalker', () => {
  const root = tree();
  for (const format of ['gnu', 'pax', 'ustar']) {
    it(`reads GNU tar's ${format} format like tar-stream does, in any chunking`, async () => {
      const args = ['-C', root, '-c', `--format=${format}`, '.'];
      let archive: Buffer;
      try {
        archive = execFileSync('tar', args, { maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] });
      } catch {
        // ustar cannot hold the longest names: GNU tar refuses them, which is the point of the other formats.
        archive = execFileSync('tar', ['-C', root, '-c', `--format=${format}`, '--exclude=aaaa*', '--exclude=long-link', '.'], { maxBuffer: 64 * 1024 * 1024 });
      }
      const expected = await reference(archive);
      expect(expected.length).toBeGreaterThan(5);
      for (const size of [1, 511, 512, 513, 4096, archive.length]) expect(walk(archive, size), `chunks of ${size}`).toEqual(expected);
    });
  }

  it('rejects truncated archives and garbage', () => {
    const archive = execFileSync('tar', ['-C', root, '-c', 'big.bin']);
    expect(() => walk(archive.subarray(0, 10_000), 4096)).toThrow(/ended in the middle/);
    expect(() => walk(Buffer.alloc(1024, 0x41), 4096)).toThrow(ImageIntegrityError);
  });
});
