// Where a tag's current state lives (TagStateStore): on the tag item itself (scans/tags.ts),
// which also carries the watched-tags index keys: the shard by tag id, the sort key by when it
// was last scanned, so a run's window is a key condition (table-design.ts: WATCH_INDEX).
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WATCH_SHARDS, type TagState, type TagStateStore } from '#domain/watch/tag-state.ts';
import { tagKey } from './scans/keys.ts';
import { WATCH_INDEX } from './table-design.ts';

const PAGE = 500;
const shardOf = (tagId: string) => createHash('sha256').update(tagId).digest().readUInt16BE(0) % WATCH_SHARDS;
const watchPk = (shard: number) => `WATCH#${shard}`;
const conditionFailed = (error: unknown) => error instanceof ConditionalCheckFailedException || (error as Error).name === 'ConditionalCheckFailedException';

export class DynamoDbTagStateRepository implements TagStateStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async recordCurrentScan(state: TagState): Promise<boolean> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: tagKey(state.orgId, state.tagId),
          UpdateExpression: 'SET #current = :state, lastScannedAt = :at, watchPk = :pk, watchSk = :sk',
          // Scans can finish out of order (an upload retried late): the latest finished one is current.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastScannedAt) OR lastScannedAt <= :at)',
          ExpressionAttributeNames: { '#current': 'current' },
          ExpressionAttributeValues: {
            ':state': state,
            ':at': state.scannedAt,
            ':pk': watchPk(shardOf(state.tagId)),
            ':sk': `${state.scannedAt}#${state.orgId}#${state.tagId}`,
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  }

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
    const tags = (page.Items ?? []).map((item) => item.current as TagState);
    return { tags, ...(page.LastEvaluatedKey ? { next: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') } : {}) };
  }
}
