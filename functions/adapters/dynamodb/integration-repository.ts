// Where registry integrations live (IntegrationStore): each under its organisation's partition,
// with a pointer item under its own id, because a hook request names the integration alone;
// each received hook event (a week, for providers' redeliveries) and each push window (the
// scan an image's push started and the tags it was pushed under) under partitions of their own.
import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_RETRY, TRY_AGAIN, withRetries } from './retry.ts';
import { transact } from './scans/transaction.ts';
import type { ScanTable } from './scans/table.ts';
import type { Integration, IntegrationStore, PushRecord } from '#domain/integrations/integration.ts';
import { queryAll } from './query-all.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const INTEGRATION = 'INTEGRATION#';
const EVENT_RETAINED_SECONDS = 7 * 86_400;
/** A push window's record outlives the window: the scan shows the tags it was pushed under. */
const PUSH_RETAINED_SECONDS = 90 * 86_400;

const integrationKey = (orgId: string, integrationId: string) => ({ pk: `ORG#${orgId}`, sk: `${INTEGRATION}${integrationId}` });
const hookKey = (integrationId: string) => ({ pk: `HOOK#${integrationId}`, sk: 'HOOK' });
/** Provider event ids and image keys are the provider's text: hashed into keys of a bounded size. */
const hashed = (value: string) => createHash('sha256').update(value).digest('base64url');
const hookEventKey = (orgId: string, integrationId: string, eventId: string) => ({ pk: `HOOKEVENT#${orgId}#${integrationId}#${hashed(eventId)}`, sk: 'EVENT' });
const pushKey = (orgId: string, imageKey: string) => ({ pk: `PUSH#${orgId}#${hashed(imageKey)}`, sk: 'PUSH' });
const epoch = (at: Date, plusSeconds: number) => Math.ceil(at.getTime() / 1000) + plusSeconds;

function strip(item: Record<string, unknown>): Integration {
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as unknown as Integration;
}

interface PushItem {
  scanId: string | null;
  firstTag: string | null;
  otherTags?: Set<string>;
  windowEndsAt: string;
}
const pushRecordOf = (item: PushItem): PushRecord => ({
  scanId: item.scanId ?? '',
  tags: [...(item.firstTag ? [item.firstTag] : []), ...[...(item.otherTags ?? [])].filter((tag) => tag !== item.firstTag).sort()],
  windowEndsAt: item.windowEndsAt,
});

export class DynamoDbIntegrationRepository implements IntegrationStore {
  private readonly table: ScanTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = { client, tableName, retry: DEFAULT_RETRY };
  }

  /** One transaction, retried while contended (throttling, a conflicting transaction); a failed condition is an error. */
  private async transactOnce(items: Parameters<typeof transact>[1], operation: string): Promise<void> {
    await withRetries(
      async () => {
        const outcome = await transact(this.table, items, operation);
        if (outcome.kind === 'condition-failed') throw new Error(`${operation}: an item it creates already exists`);
        return outcome.kind === 'contended' ? TRY_AGAIN : undefined;
      },
      () => new Error(`${operation}: the table kept refusing the write`),
    );
  }

  async createIntegration(integration: Integration): Promise<void> {
    // The integration id is 96 random bits: an existing item under it is a bug, not a race.
    await this.transactOnce(
      [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...integrationKey(integration.orgId, integration.id), ...integration },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: { TableName: this.tableName, Item: { ...hookKey(integration.id), orgId: integration.orgId }, ConditionExpression: 'attribute_not_exists(pk)' },
        },
      ],
      'createIntegration',
    );
  }

  async putIntegration(integration: Integration): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...integrationKey(integration.orgId, integration.id), ...integration } }));
  }

  async getIntegration(orgId: string, integrationId: string): Promise<Integration | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: integrationKey(orgId, integrationId), ConsistentRead: true }));
    return Item ? strip(Item) : undefined;
  }

  async findIntegration(integrationId: string): Promise<Integration | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: hookKey(integrationId) }));
    return Item ? this.getIntegration(Item.orgId as string, integrationId) : undefined;
  }

  async listIntegrations(orgId: string): Promise<Integration[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':prefix': INTEGRATION },
      ConsistentRead: true,
    });
    return items.map(strip);
  }

  async deleteIntegration(orgId: string, integrationId: string): Promise<Integration | undefined> {
    const existing = await this.getIntegration(orgId, integrationId);
    if (!existing) return undefined;
    await this.transactOnce(
      [
        { Delete: { TableName: this.tableName, Key: integrationKey(orgId, integrationId) } },
        { Delete: { TableName: this.tableName, Key: hookKey(integrationId) } },
      ],
      'deleteIntegration',
    );
    return existing;
  }

  async claimHookEvent(orgId: string, integrationId: string, eventId: string, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...hookEventKey(orgId, integrationId, eventId),
            eventId: eventId.slice(0, 500),
            receivedAt: at.toISOString(),
            [TTL_ATTRIBUTE]: epoch(at, EVENT_RETAINED_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async releaseHookEvent(orgId: string, integrationId: string, eventId: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: hookEventKey(orgId, integrationId, eventId) }));
  }

  async claimPush(orgId: string, imageKey: string, tag: string | null, at: Date, windowSeconds: number) {
    const now = at.toISOString();
    const windowEndsAt = new Date(at.getTime() + windowSeconds * 1000).toISOString();
    try {
      // A new window where none is open: this push starts the scan.
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...pushKey(orgId, imageKey), imageKey, scanId: null, firstTag: tag, windowEndsAt, [TTL_ATTRIBUTE]: epoch(at, PUSH_RETAINED_SECONDS) },
          ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAt < :now',
          ExpressionAttributeValues: { ':now': now },
        }),
      );
      return { started: true } as const;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    // An open window: this tag joins it (a set, so a repeated tag is listed once).
    const { Attributes } = await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: pushKey(orgId, imageKey),
        UpdateExpression: tag ? 'ADD otherTags :tag' : 'SET windowEndsAt = windowEndsAt',
        ...(tag ? { ExpressionAttributeValues: { ':tag': new Set([tag]) } } : {}),
        ReturnValues: 'ALL_NEW',
      }),
    );
    return { started: false, record: pushRecordOf(Attributes as PushItem) } as const;
  }

  async recordPushScan(orgId: string, imageKey: string, scanId: string | null): Promise<void> {
    if (scanId === null) {
      await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: pushKey(orgId, imageKey) }));
      return;
    }
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: pushKey(orgId, imageKey),
        UpdateExpression: 'SET scanId = :scan',
        ExpressionAttributeValues: { ':scan': scanId },
      }),
    );
  }

  async getPushRecord(orgId: string, imageKey: string): Promise<PushRecord | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pushKey(orgId, imageKey) }));
    return Item ? pushRecordOf(Item as PushItem) : undefined;
  }
}
