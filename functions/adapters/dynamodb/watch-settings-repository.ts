// Where watch settings live (WatchSettingsStore): one item per organisation that changed them,
// in one partition of its own, so that a run reads every customised organisation with one query
// (a few hundred bytes each; organisations on the defaults have no item).
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { WatchSettings, WatchSettingsStore } from '#domain/watch/watch-settings.ts';
import { queryAll } from './query-all.ts';

const PK = 'WATCHSETTINGS';
const key = (orgId: string) => ({ pk: PK, sk: orgId });

export class DynamoDbWatchSettingsRepository implements WatchSettingsStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getSettings(orgId: string): Promise<WatchSettings | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(orgId), ConsistentRead: true }));
    return Item?.settings as WatchSettings | undefined;
  }

  async putSettings(orgId: string, settings: WatchSettings): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...key(orgId), settings } }));
  }

  async listCustomized(): Promise<Array<{ orgId: string; settings: WatchSettings }>> {
    const items = await queryAll(this.client, { TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PK } });
    return items.map((item) => ({ orgId: item.sk as string, settings: item.settings as WatchSettings }));
  }
}
