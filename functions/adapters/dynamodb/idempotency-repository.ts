// Idempotency records (IdempotencyStore): one item per organisation and key, kept for a day (TTL);
// until it holds its answer, in progress only until its request's Lambda would have timed out.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { IdempotencyClaim, IdempotencyStore, StoredResponse } from '#domain/scans/idempotent-request.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const recordKey = (orgId: string, key: string) => ({ pk: `IDEMPOTENCY#${orgId}#${key}`, sk: 'IDEMPOTENCY' });

export class DynamoDbIdempotencyRepository implements IdempotencyStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(orgId: string, key: string, claim: IdempotencyClaim) {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...recordKey(orgId, key),
            bodyHash: claim.bodyHash,
            inProgressUntilMs: claim.inProgressUntil.getTime(),
            [TTL_ATTRIBUTE]: Math.ceil(claim.expiresAt.getTime() / 1000),
          },
          // An expired record that TTL has not swept yet counts as gone. A claim of the same body
          // without an answer past its in-progress time was left by a request that was stopped:
          // it is taken over, and the condition lets only one of several retries take it.
          ConditionExpression:
            'attribute_not_exists(pk) OR #ttl < :nowSeconds OR (attribute_not_exists(#response) AND bodyHash = :bodyHash AND inProgressUntilMs < :nowMs)',
          ExpressionAttributeNames: { '#ttl': TTL_ATTRIBUTE, '#response': 'response' },
          ExpressionAttributeValues: {
            ':nowSeconds': Math.floor(claim.now.getTime() / 1000),
            ':nowMs': claim.now.getTime(),
            ':bodyHash': claim.bodyHash,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return undefined;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const item = error.Item as { bodyHash?: { S?: string }; response?: { S?: string } } | undefined;
      return {
        bodyHash: item?.bodyHash?.S ?? '',
        ...(item?.response?.S ? { response: JSON.parse(item.response.S) as StoredResponse } : {}),
      };
    }
  }

  async complete(orgId: string, key: string, response: StoredResponse): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: recordKey(orgId, key),
        UpdateExpression: 'SET #r = :response',
        ExpressionAttributeNames: { '#r': 'response' },
        ExpressionAttributeValues: { ':response': JSON.stringify(response) },
      }),
    );
  }

  async release(orgId: string, key: string): Promise<void> {
    await this.client.send(new DeleteCommand({ TableName: this.tableName, Key: recordKey(orgId, key) }));
  }
}
