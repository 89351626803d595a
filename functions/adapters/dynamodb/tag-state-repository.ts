// The watched-tags index (TagStateStore): every scanned tag's item carries its keys, set with
// its latestScan (triage-repository.ts: swapLatestScan): the shard by tag id, the sort key by
// when it was last scanned, so a run's window is a key condition (table-design.ts: WATCH_INDEX).
import { createHash } from 'node:crypto';
import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WATCH_SHARDS, type LatestScan, type TagState, type TagStateStore } from '#domain/watch/tag-state.ts';
import { queryAll } from './query-all.ts';
import { orgPk, tagKey, tagRefKey } from './scans/keys.ts';
import { WATCH_INDEX } from './table-design.ts';

const PAGE = 500;
const shardOf = (tagId: string) => createHash('sha256').update(tagId).digest().readUInt16BE(0) % WATCH_SHARDS;
const watchPk = (shard: number) => `WATCH#${shard}`;

/** The index keys of a tag whose latest scan finished at `scannedAt`, as update values. */
export const watchKeyValues = (orgId: string, tagId: string, scannedAt: string) => ({
  ':watchPk': watchPk(shardOf(tagId)),
  ':watchSk': `${scannedAt}#${orgId}#${tagId}`,
});

// Scans recorded before snapshot hashes were kept have none: they are re-matched.
const tagStateOf = (item: Record<string, unknown>): TagState => {
  const latest = item.latestScan as LatestScan;
  return { orgId: item.orgId as string, tagId: item.tagId as string, ...latest, snapshotHash: latest.snapshotHash ?? null };
};
/** BatchGetItem's limit per request. */
const GET_BATCH = 100;

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
    const tags = (page.Items ?? []).map(tagStateOf);
    return { tags, ...(page.LastEvaluatedKey ? { next: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') } : {}) };
  }

  async listOrganizationTags(orgId: string, since: string): Promise<TagState[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :tag)',
      FilterExpression: 'latestScan.scannedAt >= :since',
      ExpressionAttributeValues: { ':pk': orgPk(orgId), ':tag': 'TAG#', ':since': since },
      ProjectionExpression: 'orgId, tagId, latestScan',
    });
    return items.map(tagStateOf);
  }

  async getTagStates(orgId: string, tagIds: string[]): Promise<TagState[]> {
    const states: TagState[] = [];
    for (let i = 0; i < tagIds.length; i += GET_BATCH) {
      let keys: Array<Record<string, unknown>> = tagIds.slice(i, i + GET_BATCH).map((tagId) => tagKey(orgId, tagId));
      // Keys DynamoDB left unprocessed (throttling) are asked for again.
      while (keys.length > 0) {
        const answer = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: keys, ProjectionExpression: 'orgId, tagId, latestScan' } } }),
        );
        states.push(...(answer.Responses?.[this.tableName] ?? []).filter((item) => item.latestScan).map(tagStateOf));
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      }
    }
    return states;
  }

  async findTagId(orgId: string, image: string, tag: string): Promise<string | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: tagRefKey(orgId, image, tag) }));
    return Item?.tagId as string | undefined;
  }
}
