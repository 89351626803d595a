// The contract between the one-pass layer reader and each ecosystem's cataloger (trivy's analyser idea):
// a cheap path test decides which files get read at all, and parsing is pure (bytes in, packages out).
import type { OsInfo, OsPackageType, PackageDraft, PackageType } from '#shared/packages/package.ts';

export type EntryType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';

export interface FileHeader {
  /** Normalised path inside the image, without a leading slash. */
  path: string;
  size: number;
  mode: number;
  type: EntryType;
}

export interface CatalogFile {
  path: string;
  bytes: Buffer;
  mode: number;
}

/** Files an OS package manager declares as its own, so language metadata they cover can point to its owner. */
export interface OwnedFiles {
  owner: { type: OsPackageType; name: string; arch?: string };
  paths: string[];
}

export interface CatalogResult {
  packages?: PackageDraft[];
  os?: OsInfo;
  owned?: OwnedFiles[];
  /** Licences for OS packages named here but listed by another file (Debian's copyright files). */
  licenses?: Array<{ name: string; licenses: string[] }>;
  /** What could not be read, for the scan's warnings (never fatal). */
  warnings?: string[];
}

/** Parsers that read a file chunk by chunk, for files too large to hold (binaries). */
export interface StreamScanner {
  write(chunk: Buffer): void;
  end(): CatalogResult | undefined;
}

export interface Cataloger {
  name: string;
  /** Every type its packages can have: each must have advisories and an SBOM mapping in shared/ecosystems (catalogers.test.ts). */
  packageTypes: readonly PackageType[];
  /** Bump when the output for the same bytes changes (part of any future per-layer cache key). */
  version: number;
  /** Called for every regular file in every layer: keep it to string tests on the path and header. */
  required(header: FileHeader): boolean;
  /** Files above this are skipped with a warning instead of being read into memory. */
  maxBytes: number;
  parse?(file: CatalogFile): CatalogResult | Promise<CatalogResult>;
  scan?(header: FileHeader): StreamScanner;
  /** Fills in what depends on the whole image (OS packages' purl namespace and distro), once that is known. */
  complete?(draft: PackageDraft, os: OsInfo | undefined): PackageDraft;
}
