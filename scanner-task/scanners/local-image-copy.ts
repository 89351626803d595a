// Some tools read a registry image only through a Docker daemon (dive, osv-scanner), and a
// Fargate task has none. For them the image is copied once per scan into a docker-archive under
// the scratch directory (TMPDIR; the root filesystem is read-only there), through the engine's own
// image sources: the same credentials, plain-HTTP policy, platform choice and digest checks.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openImage, type OpenImageOptions } from '../image/open-image.ts';
import { writeDockerArchive } from '../image/write-docker-archive.ts';

/** Room for the copy on the task's 40 GiB scratch disk, beside the tools' own caches. */
export const DEFAULT_LOCAL_COPY_MAX_BYTES = 16 * 1024 ** 3;

export class LocalImageCopy {
  private archive: Promise<string> | undefined;
  private dir: string | undefined;

  constructor(
    private readonly source: string,
    private readonly options: OpenImageOptions & { maxBytes: number },
  ) {}

  /** The archive's path: made on the first call; later calls share it, or the same failure. */
  path(): Promise<string> {
    this.archive ??= this.make();
    return this.archive;
  }

  async remove(): Promise<void> {
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  private async make(): Promise<string> {
    this.dir = await mkdtemp(join(tmpdir(), 'hg-image-'));
    const file = join(this.dir, 'image.tar');
    const { maxBytes, ...openOptions } = this.options;
    const image = await openImage(this.source, openOptions);
    try {
      const repoTag = image.name && image.tag ? `${image.name}:${image.tag}` : undefined;
      await writeDockerArchive(image, file, { maxBytes, ...(repoTag ? { repoTag } : {}) });
      return file;
    } finally {
      await image.close();
    }
  }
}
