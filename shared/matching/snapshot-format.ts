// The advisory snapshot file, one file with everything a scanner needs:
//
//   "HGADVDB\x01" | u32le header length | header JSON | padding to 8 | sections…
//
// Sections (offsets in the header, each 8-byte aligned, the file ending with the last one's
// bytes; u32 values are little-endian):
//   strings          one JSON string: every distinct string the index needs (package keys,
//                    versions, CVSS vectors, the rare unranked block), concatenated
//   stringOffsets    u32[strings + 1]: where string i starts in it, in UTF-16 code units.
//                    Strings 0 … packages−1 are the "<ecosystem>\0<name>" keys, sorted.
//   blockOffsets     u32[packages + 1]: where key i's block starts in `blocks`, in words
//   blocks           u32 words per key (layout below)
//   advisoryOffsets  u32[advisories + 1] into `advisories`, in bytes
//   advisories       per advisory, one JSON array (ADVISORY_FIELDS), ASCII only (other
//                    characters escaped), grouped by package: the advisories of one key
//                    lie side by side, so one read serves them
//
// A block is either ranked (the key's versions ordered at build time, every advisory's
// verdict precomputed per position, see version-order.ts) or plain (JSON, evaluated per
// version at match time):
//   ranked: kind (1 ECOSYSTEM, 2 SEMVER) | S slots | V versions | slotStart u32[S + 1]
//           | version string ids u32[V] | E entries | per entry: advisory index, H hits,
//           H × (from, to, fix string id or NO_STRING)
//   plain:  0 | string id of the JSON array of the key's StoredEntry objects
// A block's entries are in advisory-id order.
//
// Loading reads the header and everything but the advisory records: one JSON.parse of the
// string pool, typed-array views, and a name → key map per ecosystem; load time and memory
// follow the index, not the number of advisories. Matching reads the blocks in place and
// decodes only the records of advisories that affect an installed package.
export const MAGIC = Buffer.from('HGADVDB\x01', 'latin1');
/** 2: binary blocks, pooled strings, advisories grouped by package (1 was JSON blocks). */
export const FORMAT_VERSION = 2;

export const SECTION_NAMES = ['strings', 'stringOffsets', 'blockOffsets', 'blocks', 'advisoryOffsets', 'advisories'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

export const BLOCK_PLAIN = 0;
export const BLOCK_ECOSYSTEM = 1;
export const BLOCK_SEMVER = 2;
/** A fix that is absent (the entry is affected with no fixed version above). */
export const NO_STRING = 0xffffffff;

/**
 * One advisory record is a JSON array in this order (absent values are null, absent lists
 * empty; cvssVector is a string id); see StoredAdvisory. Positional, because matching
 * parses one per finding.
 */
export const ADVISORY_FIELDS = ['id', 'aliases', 'severity', 'cvss', 'cvssVector', 'title', 'references', 'knownExploited', 'epss'] as const;

export interface SnapshotHeader {
  format: number;
  builtAt: string;
  /** sha256 over all section bytes in order: the data's identity, independent of builtAt. */
  contentHash: string;
  /** The newest `modified` of the records in the snapshot. */
  newestModified: string | null;
  advisories: number;
  packages: number;
  /** Advisories per ecosystem as OSV spells it ("Debian:12", "npm"). */
  ecosystems: Record<string, number>;
  enrichment: { knownExploited: number; epss: number };
  sections: Record<SectionName, { offset: number; length: number }>;
}

export class InvalidSnapshotError extends Error {
  constructor(path: string, reason: string, message = `${path}: not a HarborGuard advisory snapshot (${reason})`) {
    super(message);
    this.name = 'InvalidSnapshotError';
  }
}

/** A snapshot written by another version of HarborGuard: readable header, other layout. */
export class UnsupportedSnapshotFormatError extends InvalidSnapshotError {
  constructor(path: string, format: unknown) {
    super(
      path,
      `format ${String(format)}`,
      `${path}: advisory snapshot format ${String(format)} is not supported (this version reads format ${FORMAT_VERSION}); rebuild with harborguard db build`,
    );
    this.name = 'UnsupportedSnapshotFormatError';
  }
}

export const align8 = (n: number): number => (n + 7) & ~7;
