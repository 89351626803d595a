// Image tags: one tag record per (image name, tag or digest) of an organisation, found by its
// reference; scans of the same reference share its id (first sightings and triage follow it).
// A new tag joins its repository's catalogue item in the same transaction (catalogue/image-items.ts).
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { newId } from '#domain/ids.ts';
import { imageUpdate } from '../catalogue/image-items.ts';
import { tagKey, tagRefKey } from './keys.ts';
import { transact } from './transaction.ts';
import type { ScanTable } from './table.ts';
import { TRY_AGAIN, withRetries } from '../retry.ts';

export async function ensureTag(table: ScanTable, orgId: string, name: string, tagOrDigest: string): Promise<string> {
  const refKey = tagRefKey(orgId, name, tagOrDigest);
  const stored = async () => {
    const found = await table.client.send(new GetCommand({ TableName: table.tableName, Key: refKey, ConsistentRead: true }));
    return found.Item?.tagId as string | undefined;
  };
  return withRetries(
    async () => {
      const existing = await stored();
      if (existing) return existing;
      const tagId = newId('tag');
      const outcome = await transact(
        table,
        [
          { Put: { TableName: table.tableName, Item: { ...refKey, tagId }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Put: { TableName: table.tableName, Item: { ...tagKey(orgId, tagId), tagId, name, tag: tagOrDigest } } },
          { Update: { TableName: table.tableName, ...imageUpdate(orgId, name, tagId, tagOrDigest) } },
        ],
        'ensureTag',
      );
      // Written, or another request created the same tag first (the next attempt reads theirs).
      return outcome.kind === 'written' ? tagId : TRY_AGAIN;
    },
    () => new Error(`Tag ${name}:${tagOrDigest} could not be stored: the table kept refusing the write`),
    table.retry,
  );
}
