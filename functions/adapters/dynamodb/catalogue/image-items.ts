// The catalogue's repository items (docs/DYNAMODB.md, "Catalogue"): one per repository of an
// organisation, under its partition beside the tag items. A tag joins its repository's `tags`
// set when the tag record is created (scans/tags.ts: ensureTag, in the same transaction), and
// the repository's `latest` follows its most recently scanned tag when ingest swaps a tag's
// latest scan (triage-repository.ts: swapLatestScan). Both are written only when they change.
import { imageIdOf, registryOf, type ImageLatest, type ImageSummary } from '#domain/images/catalogue.ts';
import { orgPk } from '../scans/keys.ts';

export const IMAGE_SK_PREFIX = 'IMAGE#';
export const imageKey = (orgId: string, imageId: string) => ({ pk: orgPk(orgId), sk: `${IMAGE_SK_PREFIX}${imageId}` });

/** An UpdateItem's parts, for an UpdateCommand or a transaction's Update alike. */
interface ItemUpdate {
  Key: Record<string, string>;
  UpdateExpression: string;
  ConditionExpression?: string;
  ExpressionAttributeNames: Record<string, string>;
  ExpressionAttributeValues: Record<string, unknown>;
}

/** A member of the `tags` string set: tag ids hold no space, and neither do tags or digests. */
const tagEntry = (tagId: string, tag: string) => `${tagId} ${tag}`;

/**
 * The update that puts a tag into its repository's item, creating the item for the repository's
 * first tag; with `latest`, also makes that the repository's summary unless a later-finished scan
 * of one of its tags already is (so a tag recorded before the catalogue existed enters it with
 * its next scan).
 */
export function imageUpdate(orgId: string, name: string, tagId: string, tag: string, latest?: ImageLatest): ItemUpdate {
  const imageId = imageIdOf(name);
  const values = { ':imageId': imageId, ':name': name, ':registry': registryOf(name), ':tag': new Set([tagEntry(tagId, tag)]) };
  return {
    Key: imageKey(orgId, imageId),
    UpdateExpression: `SET imageId = :imageId, #name = :name, registry = :registry${latest ? ', latest = :latest' : ''} ADD tags :tag`,
    ExpressionAttributeNames: { '#name': 'name' },
    ...(latest
      ? {
          ConditionExpression: 'attribute_not_exists(latest) OR latest.scannedAt < :at',
          ExpressionAttributeValues: { ...values, ':latest': latest, ':at': latest.scannedAt },
        }
      : { ExpressionAttributeValues: values }),
  };
}

export function fromImageItem(item: Record<string, unknown>): ImageSummary {
  const entries = [...((item.tags as Set<string> | undefined) ?? [])];
  const tags = entries
    .map((entry) => {
      const space = entry.indexOf(' ');
      return { tagId: entry.slice(0, space), tag: entry.slice(space + 1) };
    })
    .sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return {
    id: item.imageId as string,
    name: item.name as string,
    registry: item.registry as string,
    tags,
    latest: (item.latest as ImageLatest | undefined) ?? null,
  };
}
