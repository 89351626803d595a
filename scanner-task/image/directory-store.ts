// A BlobStore over a directory (an OCI image layout on disk).
import { createReadStream } from 'node:fs';
import { open as openFile } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { ImageIntegrityError } from './image-errors.ts';
import type { BlobStore } from './blob-store.ts';

export class DirectoryStore implements BlobStore {
  private readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(relative: string): string {
    const full = resolve(this.root, relative);
    if (!full.startsWith(this.root + sep)) throw new ImageIntegrityError(`path "${relative}" leaves the image layout`);
    return full;
  }

  async readSmall(relative: string, limit: number): Promise<Buffer | undefined> {
    let handle;
    try {
      handle = await openFile(this.path(relative), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const { size } = await handle.stat();
      if (size > limit) throw new ImageIntegrityError(`${relative} is ${size} bytes, more than the ${limit} allowed`);
      return await handle.readFile();
    } finally {
      await handle.close();
    }
  }

  async open(relative: string): Promise<Readable> {
    const stream = createReadStream(this.path(relative), { highWaterMark: 256 * 1024 });
    await new Promise<void>((ok, fail) => stream.once('open', () => ok()).once('error', fail));
    return stream;
  }

  async close(): Promise<void> {}
}
