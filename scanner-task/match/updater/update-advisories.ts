// The advisory updater: fetch the OSV dumps that changed, rebuild the snapshot when any
// did (or when the last one is in a format this version does not read), and publish it
// through a port (S3 in production) so scanner tasks fetch one prebuilt file instead of
// every task downloading the feeds.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildSnapshot, type SkippedFile } from '../build-snapshot.ts';
import { FORMAT_VERSION, type SnapshotHeader } from '#shared/matching/snapshot-format.ts';
import { snapshotFormat } from '#shared/matching/snapshot-reader.ts';
import type { Fetch } from '#shared/egress/egress-fetch.ts';
import { downloadDump, DumpDownloadError, type DumpState } from './download-dump.ts';

/** Where a built snapshot goes; the S3 adapter implements it with the bucket and key it is given. */
export interface SnapshotPublisher {
  publish(file: string, header: SnapshotHeader): Promise<void>;
}

export interface UpdateOptions {
  /** all.zip URLs, one per ecosystem. */
  dumps: readonly string[];
  /** Keeps the dumps, their ETags and partial downloads between runs. */
  cacheDir: string;
  output: string;
  publisher?: SnapshotPublisher;
  kev?: string;
  epss?: string;
  /** How dumps are fetched: `egressFetch` with the run's egress policy (an unrestricted one by default). */
  fetchImpl?: Fetch;
}

export interface UpdateResult {
  changed: string[];
  header?: SnapshotHeader;
  /** With a rebuild: the dump entries that are not OSV records, named `<dump URL>!<entry>`. */
  skipped?: SkippedFile[];
}

type State = Record<string, DumpState & { partEtag?: string }>;

const fileFor = (url: string, index: number): string => `${index}-${url.replace(/[^A-Za-z0-9._-]+/g, '_').slice(-100)}`;

export async function updateAdvisories(options: UpdateOptions): Promise<UpdateResult> {
  await mkdir(options.cacheDir, { recursive: true });
  const statePath = join(options.cacheDir, 'state.json');
  const state: State = JSON.parse(await readFile(statePath, 'utf8').catch(() => '{}')) as State;
  const changed: string[] = [];
  const files: string[] = [];
  try {
    for (const [i, url] of options.dumps.entries()) {
      const dest = join(options.cacheDir, fileFor(url, i));
      files.push(dest);
      try {
        const result = await downloadDump(url, dest, state[url], options.fetchImpl);
        if (result.status === 'downloaded') changed.push(url);
        state[url] = { ...(result.etag ? { etag: result.etag } : {}), ...(result.lastModified ? { lastModified: result.lastModified } : {}) };
      } catch (error) {
        if (error instanceof DumpDownloadError && 'partEtag' in error) state[url] = { ...state[url], partEtag: error.partEtag as string };
        throw error;
      }
    }
  } finally {
    await writeFile(statePath, JSON.stringify(state, null, 2));
  }
  // A snapshot this version cannot read (built before a format change) is rebuilt from the
  // cached dumps even when no feed changed: scanners of this version could not use it.
  const format = await snapshotFormat(options.output);
  const outdated = format !== undefined && format !== FORMAT_VERSION;
  if (changed.length === 0 && !outdated) return { changed };
  const built = await buildSnapshot({
    from: files,
    output: options.output,
    ...(options.kev ? { kev: options.kev } : {}),
    ...(options.epss ? { epss: options.epss } : {}),
  });
  await options.publisher?.publish(options.output, built.header);
  // The cached copy's file name means nothing to whoever runs the update; the URL does.
  const skipped = built.skipped.map((s) => {
    const i = files.findIndex((file) => s.where.startsWith(`${file}!`));
    return i < 0 ? s : { ...s, where: `${options.dumps[i]}${s.where.slice(files[i]!.length)}` };
  });
  return { changed, header: built.header, skipped };
}
