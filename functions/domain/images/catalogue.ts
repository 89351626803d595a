// The tag/image catalogue: what the images views and search read instead of the scan history.
// It grows with repositories and tags, never with scans: each tag's current state is its
// latest finished scan (functions/domain/watch/tag-state.ts, swapped in by ingest), and each
// repository has one summary, its most recently scanned tag's state, kept by the same write.
import { createHash } from 'node:crypto';
import type { ComplianceGrade } from '#shared/envelope/envelope-schema.ts';
import type { SeverityCounts } from '#shared/risk/risk-score.ts';
import type { ScanListItem } from '../scans/scan.ts';
import type { LatestScan } from '../watch/tag-state.ts';

/**
 * A tag's latest scan as the catalogue keeps it: what a re-match starts from (LatestScan) and
 * what the views show. The outcome fields are absent on tags swapped before the catalogue kept
 * them (docs/DYNAMODB.md, "Catalogue").
 */
export interface CurrentScan extends LatestScan {
  digest?: string | null;
  riskScore?: number | null;
  grade?: ComplianceGrade | null;
  /** Null when the scan was not matched against advisories. */
  severityCounts?: SeverityCounts | null;
}

export const IMAGE_ID_PATTERN = /^img-[0-9a-f]{20}$/;

/** A repository's id: derived from its name, so ingest and the tag records need no lookup to find it. */
export const imageIdOf = (name: string) => `img-${createHash('sha256').update(name).digest('hex').slice(0, 20)}`;

/** The registry host of a normalised image name (docker.io/library/nginx → docker.io). */
export const registryOf = (name: string) => name.split('/')[0]!;

/** A repository's most recently scanned tag and what its latest scan found. */
export interface ImageLatest {
  tagId: string;
  tag: string;
  scanId: string;
  scannedAt: string;
  digest: string | null;
  riskScore: number | null;
  grade: ComplianceGrade | null;
  /** Null when that scan was not matched against advisories. */
  severityCounts: SeverityCounts | null;
}

export interface ImageSummary {
  id: string;
  name: string;
  registry: string;
  /** Every tag of the repository the organisation has scanned or queued. */
  tags: Array<{ tagId: string; tag: string }>;
  /** Null until one of its tags has a finished scan. */
  latest: ImageLatest | null;
}

export interface TagCurrentState {
  tagId: string;
  tag: string;
  latestScan: CurrentScan | null;
}

/** One scan of a repository, as its history lists it. */
export interface ImageScanRow extends ScanListItem {
  severityCounts: SeverityCounts | null;
}

export interface CatalogueStore {
  /** Every repository of the organisation (the catalogue is read whole: it grows with repositories, not scans). */
  listImages(orgId: string): Promise<ImageSummary[]>;
  getImage(orgId: string, imageId: string): Promise<ImageSummary | undefined>;
  /** The current state of each of these tags of the organisation. */
  tagStates(orgId: string, tagIds: readonly string[]): Promise<TagCurrentState[]>;
  /** Every scan of these tags of the organisation, finished or not. */
  tagScans(orgId: string, tagIds: readonly string[]): Promise<ImageScanRow[]>;
}
