// OSV records from the places OSV publishes them: single JSON or YAML files (PyPA publishes
// YAML), folders of them, and the per-ecosystem all.zip dumps (read entry by entry, never whole
// into memory). A file that is not an OSV record goes to the caller's `onNotRecord`, which
// either collects it (db build's default) or throws (--strict).
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import yauzl from 'yauzl';
import { asOsvRecord, InvalidOsvRecordError, type OsvRecord } from '#shared/matching/osv-record.ts';

// A bound on the memory one record file may take, far above any single OSV record: a file
// this large is not one, and reading it whole could exhaust the task.
export const MAX_RECORD_FILE_BYTES = 32 * 1024 * 1024;

/** Told of each file (or array element) that is not an OSV record; throwing ends the import. */
export type OnNotRecord = (error: InvalidOsvRecordError) => void;

const failOnNotRecord: OnNotRecord = (error) => {
  throw error;
};

type RecordFormat = 'JSON' | 'YAML';

function formatOf(name: string): RecordFormat | undefined {
  if (name.endsWith('.json')) return 'JSON';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'YAML';
  return undefined;
}

// YAML 1.2 core schema: plain data only (timestamps stay strings). The library never builds
// objects from tags; an unknown tag such as !!python/object is refused rather than read as a
// string, and toJS caps alias expansion (the "billion laughs").
function parseYaml(text: string): unknown {
  const document = parseDocument(text, { schema: 'core', prettyErrors: false });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) throw problem;
  return document.toJS({ maxAliasCount: 100 });
}

function* recordsIn(bytes: Buffer, format: RecordFormat, where: string, onNotRecord: OnNotRecord): Generator<OsvRecord> {
  let value: unknown;
  try {
    const text = bytes.toString('utf8');
    value = format === 'YAML' ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    onNotRecord(new InvalidOsvRecordError(where, `invalid ${format}: ${message}`));
    return;
  }
  const values: Array<[unknown, string]> = Array.isArray(value) ? value.map((v, i) => [v, `${where}[${i}]`]) : [[value, where]];
  for (const [candidate, at] of values) {
    let record: OsvRecord;
    try {
      record = asOsvRecord(candidate, at);
    } catch (error) {
      if (!(error instanceof InvalidOsvRecordError)) throw error;
      onNotRecord(error);
      continue;
    }
    yield record;
  }
}

const tooLarge = (where: string, bytes: number): InvalidOsvRecordError =>
  new InvalidOsvRecordError(where, `${bytes} bytes, more than the ${MAX_RECORD_FILE_BYTES / 1024 / 1024} MiB a record file may have`);

// validateEntrySizes (yauzl's default) fails a stream that inflates past the declared size,
// so checking the declared size bounds what readEntry buffers.
const openZip = (path: string): Promise<yauzl.ZipFile> =>
  new Promise((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: true, validateEntrySizes: true }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );

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
export async function* readOsvZip(path: string, onNotRecord: OnNotRecord = failOnNotRecord): AsyncGenerator<OsvRecord> {
  const zip = await openZip(path);
  try {
    for (;;) {
      const entry = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
        const onEntry = (e: yauzl.Entry): void => {
          cleanup();
          resolve(e);
        };
        const onEnd = (): void => {
          cleanup();
          resolve(undefined);
        };
        const onError = (e: Error): void => {
          cleanup();
          reject(e);
        };
        const cleanup = (): void => {
          zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
        };
        zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
        zip.readEntry();
      });
      if (!entry) return;
      const format = formatOf(entry.fileName);
      if (!format) continue;
      const where = `${path}!${entry.fileName}`;
      if (entry.uncompressedSize > MAX_RECORD_FILE_BYTES) onNotRecord(tooLarge(where, entry.uncompressedSize));
      else yield* recordsIn(await readEntry(zip, entry), format, where, onNotRecord);
    }
  } finally {
    zip.close();
  }
}

// Only record and dump files are read: a README or LICENSE beside the records is not input.
async function* readFolder(path: string, onNotRecord: OnNotRecord): AsyncGenerator<OsvRecord> {
  const names = (await readdir(path, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const dirent of names) {
    const child = join(path, dirent.name);
    if (dirent.isDirectory()) yield* readFolder(child, onNotRecord);
    else if (dirent.isFile() && (formatOf(dirent.name) || dirent.name.endsWith('.zip'))) yield* readOsvPath(child, onNotRecord);
  }
}

/** Every OSV record under a file, folder or all.zip dump; a file named on its own is JSON unless it ends in .yaml/.yml. */
export async function* readOsvPath(path: string, onNotRecord: OnNotRecord = failOnNotRecord): AsyncGenerator<OsvRecord> {
  const info = await stat(path);
  if (info.isDirectory()) yield* readFolder(path, onNotRecord);
  else if (path.endsWith('.zip')) yield* readOsvZip(path, onNotRecord);
  else if (info.size > MAX_RECORD_FILE_BYTES) onNotRecord(tooLarge(path, info.size));
  else yield* recordsIn(await readFile(path), formatOf(path) ?? 'JSON', path, onNotRecord);
}
