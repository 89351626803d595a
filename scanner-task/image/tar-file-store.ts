// A BlobStore over an uncompressed tar file (oci-archive, docker-archive) without extracting it:
// one walk over the headers records where each member's bytes are, then members are read by range.
import { createReadStream } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { ImageIntegrityError, ImageSourceError } from './image-errors.ts';
import type { BlobStore } from './blob-store.ts';
import { parseTarHeader, parsePax } from './tar-header.ts';

interface Member {
  offset: number;
  size: number;
  linkTo?: string;
}

const BLOCK = 512;

export class TarFileStore implements BlobStore {
  private constructor(
    private readonly file: string,
    private readonly members: Map<string, Member>,
  ) {}

  static async open(file: string): Promise<TarFileStore> {
    let handle: FileHandle;
    try {
      handle = await openFile(file, 'r');
    } catch (error) {
      throw new ImageSourceError(`cannot open archive ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    try {
      return new TarFileStore(file, await indexMembers(handle));
    } finally {
      await handle.close();
    }
  }

  private find(path: string): Member | undefined {
    let name = posix.normalize(path).replace(/^(\.\/|\/)+/, '');
    // Docker >= 25 writes legacy layer paths as symlinks into blobs/: follow a few, never outside the archive.
    for (let hops = 0; hops < 8; hops++) {
      const member = this.members.get(name);
      if (!member?.linkTo) return member;
      name = posix.normalize(posix.join(posix.dirname(name), member.linkTo)).replace(/^(\.\/|\/)+/, '');
      if (name.startsWith('..')) return undefined;
    }
    return undefined;
  }

  async readSmall(path: string, limit: number): Promise<Buffer | undefined> {
    const member = this.find(path);
    if (!member) return undefined;
    if (member.size > limit) throw new ImageIntegrityError(`${path} is ${member.size} bytes, more than the ${limit} allowed`);
    const handle = await openFile(this.file, 'r');
    try {
      const buffer = Buffer.alloc(member.size);
      await handle.read(buffer, 0, member.size, member.offset);
      return buffer;
    } finally {
      await handle.close();
    }
  }

  async open(path: string): Promise<Readable> {
    const member = this.find(path);
    if (!member) throw new ImageIntegrityError(`archive has no member ${path}`);
    if (member.size === 0) return createReadStream(this.file, { start: 1, end: 0 });
    return createReadStream(this.file, { start: member.offset, end: member.offset + member.size - 1, highWaterMark: 1024 * 1024 });
  }

  async close(): Promise<void> {}
}

async function indexMembers(handle: FileHandle): Promise<Map<string, Member>> {
  const { size: fileSize } = await handle.stat();
  const members = new Map<string, Member>();
  const header = Buffer.alloc(BLOCK);
  let position = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  while (position + BLOCK <= fileSize) {
    await handle.read(header, 0, BLOCK, position);
    const entry = parseTarHeader(header);
    if (!entry) break; // end-of-archive block
    const dataOffset = position + BLOCK;
    if (dataOffset + entry.size > fileSize) throw new ImageIntegrityError('archive is truncated');
    position = dataOffset + Math.ceil(entry.size / BLOCK) * BLOCK;
    if (entry.type === 'L' || entry.type === 'x') {
      if (entry.size > 1024 * 1024) throw new ImageIntegrityError('archive has an oversized extended header');
      const body = Buffer.alloc(entry.size);
      await handle.read(body, 0, entry.size, dataOffset);
      if (entry.type === 'L') longName = body.toString('utf8').replace(/\0.*$/s, '');
      else paxPath = parsePax(body).path;
      continue;
    }
    const name = posix.normalize(paxPath ?? longName ?? entry.name).replace(/^(\.\/|\/)+/, '');
    longName = paxPath = undefined;
    if (entry.type === '0' || entry.type === '\0' || entry.type === '7') members.set(name, { offset: dataOffset, size: entry.size });
    else if (entry.type === '2' || entry.type === '1') members.set(name, { offset: 0, size: 0, linkTo: entry.type === '1' ? `/${entry.linkname}` : entry.linkname });
  }
  if (members.size === 0) throw new ImageSourceError('not a tar archive (no members found)');
  return members;
}
