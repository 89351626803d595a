// A BlobStore over a directory (an OCI image layout on disk). Every file is opened first and then
// checked by what was actually opened: its real path must lie inside the layout (a blob, index.json
// or oci-layout that is a symlink to a file elsewhere is refused) and it must be a regular file (a
// FIFO or device in its place would block or never end). Checking the open descriptor, not the name
// beforehand, leaves no window in which a swapped symlink could be followed.
import { constants, open as openFile, realpath, type FileHandle } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ImageIntegrityError } from '#shared/registry/image-errors.ts';
import type { BlobStore } from './blob-store.ts';

// O_NONBLOCK: opening a FIFO returns at once instead of waiting for a writer; no effect on files.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

export class DirectoryStore implements BlobStore {
  private readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(relative: string): string {
    const full = resolve(this.root, relative);
    if (!full.startsWith(this.root + sep)) throw new ImageIntegrityError(`path "${relative}" leaves the image layout`);
    return full;
  }

  /** The file opened and confirmed to be a regular file inside the layout; undefined when absent. */
  private async openInside(relative: string): Promise<FileHandle | undefined> {
    let handle: FileHandle;
    try {
      handle = await openFile(this.path(relative), OPEN_FLAGS);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const root = await (this.realRoot ??= realpath(this.root));
      // Linux names the file behind a descriptor in /proc; elsewhere the name is resolved again.
      const opened = await realpath(`/proc/self/fd/${handle.fd}`).catch(() => realpath(this.path(relative)));
      if (!opened.startsWith(root + sep)) throw new ImageIntegrityError(`${relative} points outside the image layout`);
      if (!(await handle.stat()).isFile()) throw new ImageIntegrityError(`${relative} is not a regular file`);
      return handle;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readSmall(relative: string, limit: number): Promise<Buffer | undefined> {
    const handle = await this.openInside(relative);
    if (!handle) return undefined;
    try {
      const { size } = await handle.stat();
      if (size > limit) throw new ImageIntegrityError(`${relative} is ${size} bytes, more than the ${limit} allowed`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async open(relative: string): Promise<Readable> {
    const handle = await this.openInside(relative);
    if (!handle) throw new ImageIntegrityError(`${relative} is missing from the image layout`);
    return handle.createReadStream({ highWaterMark: 256 * 1024 });
  }

  async close(): Promise<void> {}
}
