// One harness for every cataloger's unit tests (syft's idea): feed it files by path, see which ones
// the cataloger asked for and what it made of them, without any image.
import { ecosystemOf } from '#shared/ecosystems/ecosystem-of.ts';
import type { CatalogResult, Cataloger } from '../catalogers/cataloger.ts';

export interface HarnessResult {
  read: string[];
  /** Files the cataloger could not parse (the engine turns these into scan warnings). */
  errors: string[];
  results: Array<{ path: string; result: CatalogResult }>;
  packages: NonNullable<CatalogResult['packages']>;
}

export async function runCataloger(cataloger: Cataloger, files: Record<string, string | Buffer>, mode = 0o644): Promise<HarnessResult> {
  const read: string[] = [];
  const errors: string[] = [];
  const results: HarnessResult['results'] = [];
  for (const [path, content] of Object.entries(files)) {
    const bytes = Buffer.from(content);
    const header = { path, size: bytes.length, mode, type: 'file' as const };
    if (!cataloger.required(header)) continue;
    read.push(path);
    let result: CatalogResult | undefined;
    if (cataloger.scan) {
      const scanner = cataloger.scan(header);
      scanner.write(bytes);
      result = scanner.end();
    } else {
      try {
        result = await cataloger.parse!({ path, bytes, mode });
      } catch {
        errors.push(path);
      }
    }
    if (result) results.push({ path, result });
  }
  const packages = results.flatMap((r) => r.result.packages ?? []);
  // What a cataloger produces must be what it declares (catalogers.test.ts checks each declared type), purl included.
  for (const p of packages) {
    const purlType = ecosystemOf(p.type)?.purlType;
    if (!cataloger.packageTypes.includes(p.type) || !p.purl.startsWith(`pkg:${purlType}/`)) {
      throw new Error(`${cataloger.name} produced ${p.type} ${p.purl}: its packageTypes are ${cataloger.packageTypes.join(', ') || 'none'}`);
    }
  }
  return { read, errors, results, packages };
}
