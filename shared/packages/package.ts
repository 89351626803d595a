// The shared package model every cataloger produces and every report consumes.
import type { OsPackageType, PackageType } from '../ecosystems/ecosystems.ts';

// The types are the ecosystem table's (shared/ecosystems): one list of what exists.
export type { OsPackageType, PackageType };

/** What a cataloger knows from the bytes of one file: no image, no layer. */
export interface PackageDraft {
  name: string;
  version: string;
  type: PackageType;
  purl: string;
  licenses: string[];
  /** OS packages: the source package they were built from. */
  sourceName?: string;
  sourceVersion?: string;
  arch?: string;
  /** A path inside the image when it differs from the file that was parsed (e.g. a jar nested in a jar). */
  location?: string;
}

/** A package as the engine reports it: placed in the final filesystem and attributed to a layer. */
export interface Package extends PackageDraft {
  location: string;
  layerIndex: number;
  layerDigest?: string;
  /** purl of the OS package whose files include this one's metadata (reported once, under its owner). */
  ownedBy?: string;
  /** A language package with an OS owner is matched through the owner's advisories only (match/matched-via-owner.ts). */
  matchedVia?: MatchedVia;
}

/** The OS package whose advisories stand for a language package's, and the sentence saying why. */
export interface MatchedVia {
  type: OsPackageType;
  name: string;
  reason: string;
}

export interface OsInfo {
  id: string;
  versionId?: string;
  prettyName?: string;
  versionCodename?: string;
}
