// The catalogue (CatalogueStore, functions/domain/images/catalogue.ts) on the single table:
// repository items (image-items.ts) read with one Query of the organisation's `IMAGE#` range,
// tag items by key, and one tag's scans from the scans-by-tag index (docs/DYNAMODB.md, "Catalogue").
import { BatchGetCommand, GetCommand, QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { CatalogueStore, CurrentScan, ImageScanRow, ImageSummary, TagCurrentState } from '#domain/images/catalogue.ts';
import { toListItem } from '#domain/scans/scan.ts';
import type { SeverityCounts } from '#shared/risk/risk-score.ts';
import { report, type CapacityObserver } from '../capacity.ts';
import { orgPk, tagKey } from '../scans/keys.ts';
import { tagScansPartition } from '../scans/scan-item.ts';
import { TAG_SCANS_INDEX } from '../table-design.ts';
import { fromImageItem, IMAGE_SK_PREFIX, imageKey } from './image-items.ts';

/** BatchGetItem's limit per request. */
const GET_BATCH = 100;

export interface CatalogueTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  observer?: CapacityObserver;
}

async function queryEvery(table: CatalogueTable, operation: string, input: QueryCommandInput): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const page = await table.client.send(new QueryCommand({ ...input, ExclusiveStartKey: cursor, ReturnConsumedCapacity: table.observer ? 'TOTAL' : 'NONE' }));
    report(table.observer, operation, page.ConsumedCapacity);
    items.push(...(page.Items ?? []));
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
}

/** Every repository item of the organisation: the catalogue grows with repositories and tags, never with scans. */
export async function listImageItems(table: CatalogueTable, orgId: string): Promise<ImageSummary[]> {
  const items = await queryEvery(table, 'listImages', {
    TableName: table.tableName,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
    ExpressionAttributeValues: { ':pk': orgPk(orgId), ':prefix': IMAGE_SK_PREFIX },
  });
  return items.map(fromImageItem);
}

/** Every scan of these tags of the organisation, as the scans-by-tag index projects them. */
export async function tagScanItems(table: CatalogueTable, orgId: string, tagIds: readonly string[]): Promise<Record<string, unknown>[]> {
  const pages = await Promise.all(
    [...new Set(tagIds)].map((tagId) =>
      queryEvery(table, 'tagScans', {
        TableName: table.tableName,
        IndexName: TAG_SCANS_INDEX.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TAG_SCANS_INDEX.pk },
        ExpressionAttributeValues: { ':pk': tagScansPartition(orgId, tagId) },
      }),
    ),
  );
  return pages.flat();
}

export class DynamoDbCatalogueRepository implements CatalogueStore {
  private readonly table: CatalogueTable;

  constructor(client: DynamoDBDocumentClient, tableName: string, observer?: CapacityObserver) {
    this.table = { client, tableName, observer };
  }

  listImages(orgId: string): Promise<ImageSummary[]> {
    return listImageItems(this.table, orgId);
  }

  async getImage(orgId: string, imageId: string): Promise<ImageSummary | undefined> {
    const result = await this.table.client.send(
      new GetCommand({ TableName: this.table.tableName, Key: imageKey(orgId, imageId), ReturnConsumedCapacity: this.table.observer ? 'TOTAL' : 'NONE' }),
    );
    report(this.table.observer, 'getImage', result.ConsumedCapacity);
    return result.Item ? fromImageItem(result.Item) : undefined;
  }

  async tagStates(orgId: string, tagIds: readonly string[]): Promise<TagCurrentState[]> {
    const states: TagCurrentState[] = [];
    for (let i = 0; i < tagIds.length; i += GET_BATCH) {
      let keys: Array<Record<string, unknown>> = tagIds.slice(i, i + GET_BATCH).map((tagId) => tagKey(orgId, tagId));
      // Keys DynamoDB left unprocessed (throttling) are asked for again.
      while (keys.length > 0) {
        const answer = await this.table.client.send(
          new BatchGetCommand({
            RequestItems: { [this.table.tableName]: { Keys: keys, ProjectionExpression: 'tagId, tag, latestScan' } },
            ReturnConsumedCapacity: this.table.observer ? 'TOTAL' : 'NONE',
          }),
        );
        report(this.table.observer, 'tagStates', answer.ConsumedCapacity);
        for (const item of answer.Responses?.[this.table.tableName] ?? [])
          states.push({ tagId: item.tagId as string, tag: item.tag as string, latestScan: (item.latestScan as CurrentScan | undefined) ?? null });
        keys = answer.UnprocessedKeys?.[this.table.tableName]?.Keys ?? [];
      }
    }
    return states;
  }

  async tagScans(orgId: string, tagIds: readonly string[]): Promise<ImageScanRow[]> {
    const items = await tagScanItems(this.table, orgId, tagIds);
    return items.map((item) => ({
      ...toListItem(item as Parameters<typeof toListItem>[0]),
      severityCounts: (item.severityCounts as SeverityCounts | undefined) ?? null,
    }));
  }
}
