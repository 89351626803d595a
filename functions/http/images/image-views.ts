// The JSON shapes of the images views, as image-schemas.ts documents them.
import type { ImageSummary, TagCurrentState } from '#domain/images/catalogue.ts';
import type { HistoryPoint } from '#domain/images/list-images.ts';

export function imageListItemView(image: ImageSummary) {
  const latest = image.latest;
  return {
    id: image.id,
    name: image.name,
    registry: image.registry,
    latestTag: latest?.tag ?? null,
    digest: latest?.digest ?? null,
    riskScore: latest?.riskScore ?? null,
    grade: latest?.grade ?? null,
    severityCounts: latest?.severityCounts ?? null,
    lastScannedAt: latest?.scannedAt ?? null,
    tagCount: image.tags.length,
  };
}

export function imageView(image: ImageSummary, tags: TagCurrentState[]) {
  return {
    ...imageListItemView(image),
    tags: tags.map(({ tagId, tag, latestScan }) => ({
      tagId,
      tag,
      latestScan: latestScan
        ? {
            id: latestScan.scanId,
            scannedAt: latestScan.scannedAt,
            // Tags swapped before the catalogue kept a scan's outcome show nulls until their next scan.
            digest: latestScan.digest ?? null,
            riskScore: latestScan.riskScore ?? null,
            grade: latestScan.grade ?? null,
            severityCounts: latestScan.severityCounts ?? null,
          }
        : null,
    })),
  };
}

export const imageHistoryView = (image: ImageSummary, points: HistoryPoint[]) => ({ id: image.id, name: image.name, points });
