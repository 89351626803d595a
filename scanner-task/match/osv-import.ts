// OSV records from the places OSV publishes them: single JSON files, folders of them,
// and the per-ecosystem all.zip dumps (read entry by entry, never whole into memory).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yauzl from 'yauzl';
import { asOsvRecord, type OsvRecord } from './osv-record.ts';

function recordsIn(value: unknown, where: string): OsvRecord[] {
  return Array.isArray(value) ? value.map((v, i) => asOsvRecord(v, `${where}[${i}]`)) : [asOsvRecord(value, where)];
}

function parseJson(bytes: Buffer, where: string): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${where}: invalid JSON (${(error as Error).message})`);
  }
}

const openZip = (path: string): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) => yauzl.open(path, { lazyEntries: true, autoClose: true }, (error, zip) => (error ? reject(error) : resolve(zip))));

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) => {
      if (error) return reject(error);
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', reject);
      stream.on('end', () => resolve(Buffer.concat(chunks)));
    });
  });
}

// One entry at a time: the next is requested only after the consumer took the previous one.
export async function* readOsvZip(path: string): AsyncGenerator<OsvRecord> {
  const zip = await openZip(path);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry): void => { cleanup(); resolve(e); };
        const onEnd = (): void => { cleanup(); resolve(undefined); };
        const onError = (e: Error): void => { cleanup(); reject(e); };
        const cleanup = (): void => { zip.off('entry', onEntry).off('end', onEnd).off('error', onError); };
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      if (!entry.fileName.endsWith('.json')) continue;
      const where = `${path}!${entry.fileName}`;
      yield* recordsIn(parseJson(await readEntry(zip, entry), where), where);
    }
  } finally {
    zip.close();
  }
}

async function* readFolder(path: string): AsyncGenerator<OsvRecord> {
  const names = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const dirent of names) {
    const child = join(path, dirent.name);
    if (dirent.isDirectory()) yield* readFolder(child);
    else if (dirent.isFile() && (dirent.name.endsWith('.json') || dirent.name.endsWith('.zip'))) yield* readOsvPath(child);
  }
}

/** Every OSV record under a file, folder or all.zip dump. */
export async function* readOsvPath(path: string): AsyncGenerator<OsvRecord> {
  const info = await stat(path);
  if (info.isDirectory()) yield* readFolder(path);
  else if (path.endsWith('.zip')) yield* readOsvZip(path);
  else yield* recordsIn(parseJson(await readFile(path), path), path);
}
