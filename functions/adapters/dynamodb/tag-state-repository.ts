// The watched-tags index (TagStateStore): every scanned tag's item carries its keys, set with
// its latestScan (triage-repository.ts: swapLatestScan): the shard by tag id, the sort key by
// when it was last scanned, so a run's window is a key condition (table-design.ts: WATCH_INDEX).
import { createHash } from 'node:crypto';
import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WATCH_SHARDS, type LatestScan, type TagState, type TagStateStore } from '#domain/watch/tag-state.ts';
import { WATCH_INDEX } from './table-design.ts';

const PAGE = 500;
const shardOf = (tagId: string) => createHash('sha256').update(tagId).digest().readUInt16BE(0) % WATCH_SHARDS;
const watchPk = (shard: number) => `WATCH#${shard}`;

/** The index keys of a tag whose latest scan finished at `scannedAt`, as update values. */
export const watchKeyValues = (orgId: string, tagId: string, scannedAt: string) => ({
  ':watchPk': watchPk(shardOf(tagId)),
  ':watchSk': `${scannedAt}#${orgId}#${tagId}`,
});

export class DynamoDbTagStateRepository implements TagStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listWatchedTags(shard: number, since: string, after?: string) {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: WATCH_INDEX.name,
        KeyConditionExpression: 'watchPk = :pk AND watchSk >= :since',
        ExpressionAttributeValues: { ':pk': watchPk(shard), ':since': since },
        Limit: PAGE,
        ...(after ? { ExclusiveStartKey: JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as Record<string, unknown> } : {}),
      }),
    );
    const tags = (page.Items ?? []).map((item): TagState => {
      const latest = item.latestScan as LatestScan;
      // Scans recorded before snapshot hashes were kept have none: they are re-matched.
      return { orgId: item.orgId as string, tagId: item.tagId as string, ...latest, snapshotHash: latest.snapshotHash ?? null };
    });
    return { tags, ...(page.LastEvaluatedKey ? { next: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') } : {}) };
  }
}
