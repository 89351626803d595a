// `db build`: OSV inputs (+ optional KEV/EPSS files) → one snapshot file.
import { readEnrichment } from './enrichment.ts';
import { readOsvPath, type OnNotRecord } from './osv-import.ts';
import { SnapshotWriter, type WrittenSnapshot } from './snapshot-writer.ts';

export interface BuildSnapshotOptions {
  from: readonly string[];
  output: string;
  kev?: string;
  epss?: string;
  builtAt?: string;
  /** Fail on the first file that is not an OSV record instead of skipping it. */
  strict?: boolean;
}

/** A file (or array element, `file[i]`; zip entry, `dump.zip!entry`) that was not imported. */
export interface SkippedFile {
  where: string;
  reason: string;
}

export interface BuiltSnapshot extends WrittenSnapshot {
  skipped: SkippedFile[];
}

export async function buildSnapshot(options: BuildSnapshotOptions): Promise<BuiltSnapshot> {
  const enrichment =
    options.kev || options.epss
      ? await readEnrichment({ ...(options.kev ? { kev: options.kev } : {}), ...(options.epss ? { epss: options.epss } : {}) })
      : undefined;
  const writer = new SnapshotWriter(enrichment);
  // Real folders hold more than records (a stray file, one malformed record among thousands):
  // one of them should not cost the whole build, but it must be visible.
  const skipped: SkippedFile[] = [];
  const onNotRecord: OnNotRecord = (error) => {
    if (options.strict) throw error;
    skipped.push({ where: error.where, reason: error.reason });
  };
  for (const path of options.from) {
    for await (const record of readOsvPath(path, onNotRecord)) writer.add(record);
  }
  return { ...(await writer.write(options.output, options.builtAt)), skipped };
}
