// What a layer's catalogers found, as they find it: a body sink per file some cataloger asked for,
// the findings and warnings it records, and the budgets that apply to them (package records per
// layer, warnings per layer). Split from layer-reader.ts, which owns the bytes and the tar walk.
import type { CatalogResult, Cataloger, FileHeader, StreamScanner } from '../catalogers/cataloger.ts';
import { oversizedField } from '../catalogers/draft-limits.ts';
import { ImageTooLargeError } from '#shared/registry/image-errors.ts';
import type { LayerScan } from './layer-reader.ts';
import type { BodySink } from './tar-walker.ts';

export function interested(catalogers: readonly Cataloger[], header: FileHeader): Cataloger[] {
  const wanting: Cataloger[] = [];
  for (const cataloger of catalogers) if (cataloger.required(header)) wanting.push(cataloger);
  return wanting;
}

/** What the body sinks of one layer share. */
export interface ReadContext {
  scan: LayerScan;
  /** Parses still running (they may be async); awaited once the walk is done. */
  pending: Array<Promise<void>>;
  packageRecords: number;
  maxPackageRecords: number;
  /** Warnings beyond MAX_WARNINGS, counted instead of kept. */
  unsaidWarnings: number;
  /** Set by a parse whose result refuses the layer; the walk stops at its next chunk. */
  refusal?: ImageTooLargeError;
}

/** Warnings kept per layer: a layer of a million malformed files must not hold a million sentences. */
const MAX_WARNINGS = 1_000;

function warn(context: ReadContext, warning: string): void {
  if (context.scan.warnings.length < MAX_WARNINGS) context.scan.warnings.push(warning.slice(0, 2048));
  else context.unsaidWarnings++;
}

function record(context: ReadContext, cataloger: string, path: string, result: CatalogResult): void {
  const { scan, maxPackageRecords } = context;
  for (const warning of result.warnings ?? []) warn(context, warning);
  const packages = result.packages ?? [];
  context.packageRecords += packages.length;
  if (context.packageRecords > maxPackageRecords) {
    throw new ImageTooLargeError(
      `a layer lists more than ${maxPackageRecords.toLocaleString('en')} packages (${path} alone ${packages.length.toLocaleString('en')}); at most ${maxPackageRecords.toLocaleString('en')} are scanned`,
    );
  }
  const firstOversized = packages.findIndex((draft) => oversizedField(draft) !== undefined);
  if (firstOversized !== -1) {
    const kept = packages.filter((draft) => oversizedField(draft) === undefined);
    warn(context, `${path}: ${packages.length - kept.length} package record(s) with an over-long ${oversizedField(packages[firstOversized]!)} left out`);
    result = { ...result, packages: kept };
  }
  scan.findings.push({ cataloger, path, result });
}

export function bodySink(header: FileHeader, catalogers: Cataloger[], context: ReadContext): BodySink {
  const scanners: Array<{ name: string; scanner: StreamScanner }> = [];
  const buffered: Cataloger[] = [];
  for (const cataloger of catalogers) {
    if (cataloger.scan) scanners.push({ name: cataloger.name, scanner: cataloger.scan(header) });
    else if (header.size <= cataloger.maxBytes) buffered.push(cataloger);
    else warn(context, `${header.path}: ${header.size} bytes, above ${cataloger.name}'s ${cataloger.maxBytes}-byte limit; skipped`);
  }
  // The body is copied once into a buffer of the size the header declares (the walker delivers
  // exactly that many bytes): the walker's chunks are slices of large decompressed buffers that must
  // not stay alive, and collecting copies to concatenate them held every file twice.
  const bytes = buffered.length > 0 ? Buffer.allocUnsafeSlow(header.size) : undefined;
  let filled = 0;
  return {
    write(chunk) {
      for (const { scanner } of scanners) scanner.write(chunk);
      if (bytes) filled += chunk.copy(bytes, filled);
    },
    end() {
      for (const { name, scanner } of scanners) {
        const result = scanner.end();
        if (result) record(context, name, header.path, result);
      }
      if (!bytes) return;
      for (const cataloger of buffered) {
        // Parsing may be async (sqlite): the walk goes on meanwhile.
        context.pending.push(
          Promise.resolve()
            .then(() => cataloger.parse!({ path: header.path, bytes, mode: header.mode }))
            .then(
              (result) => {
                try {
                  record(context, cataloger.name, header.path, result);
                } catch (error) {
                  if (!(error instanceof ImageTooLargeError)) throw error;
                  context.refusal ??= error;
                }
              },
              (error: unknown) => warn(context, `${header.path}: ${cataloger.name} could not parse it: ${(error as Error).message}`),
            ),
        );
      }
    },
  };
}

/** After the walk: the refusal a parse raised, else the count of warnings not kept. */
export async function settle(context: ReadContext): Promise<void> {
  await Promise.all(context.pending);
  if (context.refusal) throw context.refusal;
  if (context.unsaidWarnings > 0) context.scan.warnings.push(`${context.unsaidWarnings} more warnings for this layer not listed`);
}
