// Where an organisation's registry settings live (RegistryStore): one item per registry under
// the organisation's partition, the password only in its sealed form.
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RegistryStore, StoredRegistrySettings } from '#domain/registries/registry-settings.ts';
import { queryAll } from './query-all.ts';

const PREFIX = 'REGISTRY#';
const key = (orgId: string, host: string) => ({ pk: `ORG#${orgId}`, sk: `${PREFIX}${host}` });

function fromItem(item: Record<string, unknown>): StoredRegistrySettings {
  return {
    orgId: item.orgId as string,
    host: item.host as string,
    username: (item.username as string | undefined) ?? null,
    sealedPassword: (item.sealedPassword as string | undefined) ?? null,
    allowPlainHttp: item.allowPlainHttp === true,
    tokenRealms: Array.isArray(item.tokenRealms) ? (item.tokenRealms as string[]) : [],
    createdAt: item.createdAt as string,
    updatedAt: item.updatedAt as string,
    updatedBy: item.updatedBy as string,
  };
}

export class DynamoDbRegistryRepository implements RegistryStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putRegistry(settings: StoredRegistrySettings): Promise<void> {
    const { username, sealedPassword, ...rest } = settings;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...key(settings.orgId, settings.host),
          ...rest,
          ...(username !== null ? { username } : {}),
          ...(sealedPassword !== null ? { sealedPassword } : {}),
        },
      }),
    );
  }

  async getRegistry(orgId: string, host: string): Promise<StoredRegistrySettings | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key(orgId, host), ConsistentRead: true }));
    return result.Item ? fromItem(result.Item) : undefined;
  }

  async listRegistries(orgId: string): Promise<StoredRegistrySettings[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':prefix': PREFIX },
    });
    return items.map(fromItem);
  }

  async deleteRegistry(orgId: string, host: string): Promise<StoredRegistrySettings | undefined> {
    const result = await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: key(orgId, host), ReturnValues: 'ALL_OLD' }));
    return result.Attributes ? fromItem(result.Attributes) : undefined;
  }
}
