// The advisory snapshot file, one file with everything a scanner needs:
//
//   "HGADVDB\x01" | u32le header length | header JSON | padding to 8 | sections…
//
// Sections (offsets in the header, each 8-byte aligned):
//   keys             JSON array of "<ecosystem>\0<name>" strings, sorted
//   keyOffsets       u32le[keys + 1]: where each key's entries start in `entries`
//   entries          per key, a KeyBlock JSON object (its entries and ranked versions)
//   advisoryOffsets  u32le[advisories + 1] into `advisories`
//   advisories       per advisory, one StoredAdvisory JSON object
//
// Loading parses only the header and the key list; a key's entries and an advisory's
// JSON are parsed when a package asks for them, so load time does not grow with the
// number of advisories, and matching touches only the packages that are installed.
export const MAGIC = Buffer.from('HGADVDB\x01', 'latin1');
export const FORMAT_VERSION = 1;

export const SECTION_NAMES = ['keys', 'keyOffsets', 'entries', 'advisoryOffsets', 'advisories'] as const;
export type SectionName = (typeof SECTION_NAMES)[number];

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
  constructor(path: string, reason: string) {
    super(`${path}: not a HarborGuard advisory snapshot (${reason})`);
    this.name = 'InvalidSnapshotError';
  }
}

export const align8 = (n: number): number => (n + 7) & ~7;
