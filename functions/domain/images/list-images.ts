// The images views (GET /api/images, /api/images/{imageId}, …/history): the organisation's
// repositories from the catalogue, filtered, ordered and paged in memory — the catalogue is read
// whole, and it grows with repositories and tags, not with scans (docs/DYNAMODB.md, "Catalogue").
import { NotFoundError } from '#shared/errors.ts';
import type { Principal } from '../identity/principal.ts';
import type { CatalogueStore, ImageScanRow, ImageSummary, TagCurrentState } from './catalogue.ts';
import type { ImageListQuery, ImageSortField } from './image-list-query.ts';

export interface ImageDeps {
  catalogue: CatalogueStore;
}

/** Ascending order keys; a repository with no finished scan sorts after every value ascending (first descending), as the scans list's nulls do. */
const ORDER: Record<ImageSortField, (image: ImageSummary) => string> = {
  name: (image) => `${image.name}#${image.id}`,
  lastScannedAt: (image) => `${image.latest?.scannedAt ?? '~'}#${image.name}#${image.id}`,
  riskScore: (image) => {
    const risk = image.latest?.riskScore ?? null;
    return `${risk === null ? '~~~' : String(risk).padStart(3, '0')}#${image.name}#${image.id}`;
  },
};

function matches(image: ImageSummary, query: ImageListQuery): boolean {
  const latest = image.latest;
  if (query.registry !== undefined && image.registry !== query.registry) return false;
  if (query.minRisk !== undefined && (latest?.riskScore ?? null) === null) return false;
  if (query.minRisk !== undefined && latest!.riskScore! < query.minRisk) return false;
  if (query.grades && !(latest?.grade && query.grades.includes(latest.grade))) return false;
  const search = query.search;
  if (search && !image.name.toLowerCase().includes(search) && !image.tags.some((t) => t.tag.toLowerCase().includes(search))) return false;
  return true;
}

export async function listImages(actor: Principal, query: ImageListQuery, deps: ImageDeps): Promise<{ items: ImageSummary[]; total: number }> {
  const key = ORDER[query.sort.field];
  const rows = (await deps.catalogue.listImages(actor.orgId))
    .filter((image) => matches(image, query))
    .map((image) => ({ image, key: key(image) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  if (query.sort.direction === 'desc') rows.reverse();
  const offset = (query.page - 1) * query.limit;
  return { items: rows.slice(offset, offset + query.limit).map((row) => row.image), total: rows.length };
}

async function imageOf(actor: Principal, imageId: string, deps: ImageDeps): Promise<ImageSummary> {
  const image = await deps.catalogue.getImage(actor.orgId, imageId);
  if (!image) throw new NotFoundError(`Image ${imageId} not found`);
  return image;
}

/** A repository with each of its tags' current state: most recently scanned first, tags never scanned last. */
export async function getImageDetails(actor: Principal, imageId: string, deps: ImageDeps): Promise<{ image: ImageSummary; tags: TagCurrentState[] }> {
  const image = await imageOf(actor, imageId, deps);
  const states = await deps.catalogue.tagStates(
    actor.orgId,
    image.tags.map((t) => t.tagId),
  );
  const at = (state: TagCurrentState) => state.latestScan?.scannedAt ?? '';
  const tags = states.sort((a, b) => (at(a) !== at(b) ? (at(a) > at(b) ? -1 : 1) : a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { image, tags };
}

export interface HistoryPoint {
  scanId: string;
  tagId: string;
  tag: string;
  scannedAt: string;
  riskScore: number | null;
  severityCounts: NonNullable<ImageScanRow['severityCounts']>;
}

/** Counts by severity of every matched COMPLETE scan of the repository's tags, oldest first: a trend. */
export async function imageHistory(actor: Principal, imageId: string, deps: ImageDeps): Promise<{ image: ImageSummary; points: HistoryPoint[] }> {
  const image = await imageOf(actor, imageId, deps);
  const tagNames = new Map(image.tags.map((t) => [t.tagId, t.tag]));
  const scans = await deps.catalogue.tagScans(actor.orgId, [...tagNames.keys()]);
  const points = scans
    .filter((scan) => scan.status === 'COMPLETE' && scan.scannedAt !== null && scan.severityCounts !== null)
    .map((scan) => ({
      scanId: scan.id,
      tagId: scan.tagId,
      tag: tagNames.get(scan.tagId)!,
      scannedAt: scan.scannedAt!,
      riskScore: scan.riskScore,
      severityCounts: scan.severityCounts!,
    }))
    .sort((a, b) => (a.scannedAt !== b.scannedAt ? (a.scannedAt < b.scannedAt ? -1 : 1) : a.scanId < b.scanId ? -1 : 1));
  return { image, points };
}
