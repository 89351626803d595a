// Where webhooks live (WebhookStore): each subscription under its organisation's partition; each
// event under its own partition (its data gzipped, as a scan.completed with 100 findings in full
// is tens of kilobytes of JSON); each delivery under its subscription's partition, sorted by id,
// which starts with the event's time (newest first is a reverse query). Events and deliveries
// expire after 30 days (the table's TTL).
import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Circuit, Delivery, Webhook, WebhookEvent, WebhookStore } from '#domain/webhooks/webhook.ts';
import { queryAll } from './query-all.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const WEBHOOK = 'WEBHOOK#';
const DELIVERY = 'DELIVERY#';
const RETAINED_SECONDS = 30 * 86_400;

const webhookKey = (orgId: string, webhookId: string) => ({ pk: `ORG#${orgId}`, sk: `${WEBHOOK}${webhookId}` });
const eventKey = (orgId: string, eventId: string) => ({ pk: `WHEVENT#${orgId}#${eventId}`, sk: 'EVENT' });
const deliveryKey = (orgId: string, webhookId: string, deliveryId: string) => ({ pk: `WHDELIVERY#${orgId}#${webhookId}`, sk: `${DELIVERY}${deliveryId}` });
const expiry = (from: string) => Math.ceil(Date.parse(from) / 1000) + RETAINED_SECONDS;

function strip<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, [TTL_ATTRIBUTE]: _ttl, ...rest } = item;
  return rest as T;
}

export class DynamoDbWebhookRepository implements WebhookStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async putWebhook(webhook: Webhook): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { ...webhookKey(webhook.orgId, webhook.id), ...webhook } }));
  }

  async getWebhook(orgId: string, webhookId: string): Promise<Webhook | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: webhookKey(orgId, webhookId), ConsistentRead: true }));
    return Item ? strip<Webhook>(Item) : undefined;
  }

  async listWebhooks(orgId: string): Promise<Webhook[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': `ORG#${orgId}`, ':prefix': WEBHOOK },
      ConsistentRead: true,
    });
    return items.map((item) => strip<Webhook>(item));
  }

  async deleteWebhook(orgId: string, webhookId: string): Promise<Webhook | undefined> {
    const { Attributes } = await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: webhookKey(orgId, webhookId), ReturnValues: 'ALL_OLD' }));
    return Attributes ? strip<Webhook>(Attributes) : undefined;
  }

  async countFailure(orgId: string, webhookId: string): Promise<number> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKey(orgId, webhookId),
          UpdateExpression: 'ADD circuit.consecutiveFailures :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return (Attributes?.circuit as Circuit | undefined)?.consecutiveFailures ?? 0;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 0;
      throw error;
    }
  }

  async setCircuit(orgId: string, webhookId: string, circuit: Circuit, onlyIf?: { nextProbeAt: string | null }): Promise<boolean> {
    // A closed circuit's nextProbeAt is NULL, which `=` does not compare: its type is tested instead.
    const condition = onlyIf ? (onlyIf.nextProbeAt === null ? ' AND attribute_type(circuit.nextProbeAt, :null)' : ' AND circuit.nextProbeAt = :expected') : '';
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: webhookKey(orgId, webhookId),
          UpdateExpression: 'SET circuit = :circuit',
          ConditionExpression: `attribute_exists(pk)${condition}`,
          ExpressionAttributeValues: {
            ':circuit': circuit,
            ...(onlyIf ? (onlyIf.nextProbeAt === null ? { ':null': 'NULL' } : { ':expected': onlyIf.nextProbeAt }) : {}),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async putEvent(event: WebhookEvent): Promise<void> {
    const { data, ...rest } = event;
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...eventKey(event.orgId, event.id), ...rest, data: gzipSync(JSON.stringify(data)), [TTL_ATTRIBUTE]: expiry(event.createdAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  async getEvent(orgId: string, eventId: string): Promise<WebhookEvent | undefined> {
    const { Item } = await this.client.send(new GetCommand({ TableName: this.tableName, Key: eventKey(orgId, eventId), ConsistentRead: true }));
    if (!Item) return undefined;
    const { data, ...rest } = strip<Omit<WebhookEvent, 'data'> & { data: Uint8Array }>(Item);
    return { ...rest, data: JSON.parse(gunzipSync(data).toString('utf8')) as WebhookEvent['data'] };
  }

  async createDelivery(delivery: Delivery): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...deliveryKey(delivery.orgId, delivery.webhookId, delivery.id), ...delivery, [TTL_ATTRIBUTE]: expiry(delivery.createdAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async getDelivery(orgId: string, webhookId: string, deliveryId: string): Promise<Delivery | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: deliveryKey(orgId, webhookId, deliveryId), ConsistentRead: true }),
    );
    return Item ? strip<Delivery>(Item) : undefined;
  }

  async saveDelivery(delivery: Delivery): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...deliveryKey(delivery.orgId, delivery.webhookId, delivery.id), ...delivery, [TTL_ATTRIBUTE]: expiry(delivery.updatedAt) },
      }),
    );
  }

  async listDeliveries(orgId: string, webhookId: string, page: { limit: number; after?: string }) {
    const key = deliveryKey(orgId, webhookId, '');
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: page.after ? 'pk = :pk AND sk BETWEEN :prefix AND :before' : 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': key.pk, ':prefix': DELIVERY, ...(page.after ? { ':before': `${DELIVERY}${page.after}` } : {}) },
        ScanIndexForward: false,
        // One more than asked, to tell whether another page follows; the cursor itself is excluded.
        Limit: page.limit + (page.after ? 2 : 1),
      }),
    );
    const items = (result.Items ?? []).map((item) => strip<Delivery>(item)).filter((d) => d.id !== page.after);
    const more = items.length > page.limit;
    const shown = items.slice(0, page.limit);
    return { items: shown, next: more ? shown.at(-1)!.id : null };
  }
}
