// A BlobStore over an uncompressed tar file (oci-archive, docker-archive) without extracting it:
// one walk over the headers records where each member's bytes are, then members are read by range.
import { constants, open as openFile, type FileHandle } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { ImageIntegrityError, ImageSourceError, ImageTooLargeError } from '#shared/registry/image-errors.ts';
import type { BlobStore } from './blob-store.ts';
import { BLOCK, decodeTarHeader, isExtension, TarExtensions } from './tar-header.ts';
import { MAX_EXTENDED_HEADER, MAX_PATH_LENGTH } from './tar-walker.ts';

interface Member {
  offset: number;
  size: number;
  linkTo?: string;
  hardLink?: boolean;
}

/** Headers indexed per archive: an image archive holds a few files per layer, never this many. */
export const MAX_ARCHIVE_HEADERS = 100_000;

// O_NONBLOCK: a FIFO named as the archive fails the file check instead of blocking the open.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** A member name as the archive means it, or undefined when `..` would take it outside the archive. */
function memberName(path: string): string | undefined {
  const name = posix.normalize(path).replace(/^(\.\/|\/)+/, '');
  return name === '..' || name.startsWith('../') ? undefined : name;
}

/**
 * The archive is opened once and every member is read through that one descriptor, so whatever
 * happens to the file's name afterwards (replaced by a symlink, say) nothing else is ever read.
 * Symlink and hard-link members lead only to other members; none can name a file on disk.
 */
export class TarFileStore implements BlobStore {
  private constructor(
    private readonly handle: FileHandle,
    private readonly members: Map<string, Member>,
  ) {}

  static async open(file: string, maxHeaders = MAX_ARCHIVE_HEADERS): Promise<TarFileStore> {
    let handle: FileHandle;
    try {
      handle = await openFile(file, OPEN_FLAGS);
    } catch (error) {
      throw new ImageSourceError(`cannot open archive ${file}: ${(error as NodeJS.ErrnoException).code ?? error}`);
    }
    try {
      if (!(await handle.stat()).isFile()) throw new ImageSourceError(`${file} is not a regular file`);
      return new TarFileStore(handle, await indexMembers(handle, maxHeaders));
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  private find(path: string): Member | undefined {
    let name = memberName(path);
    // Docker >= 25 writes legacy layer paths as symlinks into blobs/: follow a few, never outside the archive.
    for (let hops = 0; hops < 8 && name !== undefined; hops++) {
      const member = this.members.get(name);
      if (!member?.linkTo) return member;
      // A hard link names its target from the archive's root; a symlink from its own directory, and
      // an absolute one would mean the host's filesystem: refused.
      if (member.hardLink) name = memberName(member.linkTo);
      else name = member.linkTo.startsWith('/') ? undefined : memberName(posix.join(posix.dirname(name), member.linkTo));
    }
    return undefined;
  }

  async readSmall(path: string, limit: number): Promise<Buffer | undefined> {
    const member = this.find(path);
    if (!member) return undefined;
    if (member.size > limit) throw new ImageIntegrityError(`${path} is ${member.size} bytes, more than the ${limit} allowed`);
    const buffer = Buffer.alloc(member.size);
    await this.handle.read(buffer, 0, member.size, member.offset);
    return buffer;
  }

  async open(path: string): Promise<Readable> {
    const member = this.find(path);
    if (!member) throw new ImageIntegrityError(`archive has no member ${path}`);
    if (member.size === 0) return Readable.from([]);
    // Positional reads: several members can stream at once through the one descriptor.
    return this.handle.createReadStream({ start: member.offset, end: member.offset + member.size - 1, highWaterMark: 1024 * 1024, autoClose: false });
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

async function indexMembers(handle: FileHandle, maxHeaders: number): Promise<Map<string, Member>> {
  const { size: fileSize } = await handle.stat();
  const members = new Map<string, Member>();
  const header = Buffer.alloc(BLOCK);
  let position = 0;
  let headers = 0;
  const extensions = new TarExtensions();
  while (position + BLOCK <= fileSize) {
    if (++headers > maxHeaders)
      throw new ImageTooLargeError(`the archive has more than ${maxHeaders.toLocaleString('en')} members; at most that many are read`);
    await handle.read(header, 0, BLOCK, position);
    const entry = decodeTarHeader(header);
    if (!entry) break; // end-of-archive block
    const dataOffset = position + BLOCK;
    if (isExtension(entry.flag)) {
      if (entry.size > MAX_EXTENDED_HEADER)
        throw new ImageIntegrityError(`archive has an extended header of ${entry.size} bytes; at most ${MAX_EXTENDED_HEADER} are accepted`);
      if (dataOffset + entry.size > fileSize) throw new ImageIntegrityError('archive is truncated or has an invalid member size');
      const body = Buffer.alloc(entry.size);
      await handle.read(body, 0, entry.size, dataOffset);
      extensions.add(entry.flag, body);
      position = dataOffset + Math.ceil(entry.size / BLOCK) * BLOCK;
      continue;
    }
    const { name: raw, linkname, size } = extensions.resolve(entry);
    // Only regular files carry a body; a hard link's size field is not followed by data.
    const bodySize = entry.type === 'file' || entry.type === 'other' ? size : 0;
    if (dataOffset + bodySize > fileSize) throw new ImageIntegrityError('archive is truncated or has an invalid member size');
    position = dataOffset + Math.ceil(bodySize / BLOCK) * BLOCK;
    // No name an image archive uses is this long; such a member is skipped, never looked up.
    const name = raw.length > MAX_PATH_LENGTH || linkname.length > MAX_PATH_LENGTH ? undefined : memberName(raw);
    if (name === undefined) continue;
    if (entry.type === 'file') members.set(name, { offset: dataOffset, size });
    else if (entry.type === 'symlink' || entry.type === 'link') members.set(name, { offset: 0, size: 0, linkTo: linkname, hardLink: entry.type === 'link' });
  }
  if (members.size === 0) throw new ImageSourceError('not a tar archive (no members found)');
  return members;
}
