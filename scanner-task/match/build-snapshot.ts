// `db build`: OSV inputs (+ optional KEV/EPSS files) → one snapshot file.
import { readEnrichment } from './enrichment.ts';
import { readOsvPath } from './osv-import.ts';
import { SnapshotWriter, type WrittenSnapshot } from './snapshot-writer.ts';

export interface BuildSnapshotOptions {
  from: readonly string[];
  output: string;
  kev?: string;
  epss?: string;
  builtAt?: string;
}

export async function buildSnapshot(options: BuildSnapshotOptions): Promise<WrittenSnapshot> {
  const enrichment = options.kev || options.epss ? await readEnrichment({ ...(options.kev ? { kev: options.kev } : {}), ...(options.epss ? { epss: options.epss } : {}) }) : undefined;
  const writer = new SnapshotWriter(enrichment);
  for (const path of options.from) {
    for await (const record of readOsvPath(path)) writer.add(record);
  }
  return writer.write(options.output, options.builtAt);
}
