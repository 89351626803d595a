// The rolling-window rate limiter on DynamoDB. One item per (policy, subject) holds the times
// of the accepted requests still inside the window. Every change (taking a slot, giving one
// back) is a conditional write on the item's version, so concurrent requests can never both
// take the last slot: the loser re-reads and decides again. A full window is a rejection
// without any write, and so is a peek.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { RateLimitDecision } from '#shared/errors.ts';
import type { RateLimiter, RateLimitGrant, RateLimitPolicy } from '#domain/rate-limit/rate-limiter.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const MAX_ATTEMPTS = 100;

/** What to do with the window's hits at instant `at`: the new hits, or undefined to write nothing. */
type Change = (recent: number[], at: number) => number[] | undefined;

export class DynamoDbRateLimiter implements RateLimiter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async consume(policy: RateLimitPolicy, subject: string, clock: () => Date): Promise<RateLimitGrant> {
    let acceptedAt: number | undefined;
    // Called again after a lost race, so it decides afresh each time.
    const decision = await this.settle(policy, subject, clock, (recent, at) => {
      acceptedAt = recent.length < policy.limit ? at : undefined;
      return acceptedAt === undefined ? undefined : [...recent, at];
    });
    return acceptedAt === undefined ? { ...decision, allowed: false } : { ...decision, allowed: true, acceptedAt };
  }

  refund(policy: RateLimitPolicy, subject: string, acceptedAt: number, clock: () => Date): Promise<RateLimitDecision> {
    return this.settle(policy, subject, clock, (recent) => {
      const index = recent.indexOf(acceptedAt);
      return index < 0 ? undefined : [...recent.slice(0, index), ...recent.slice(index + 1)];
    });
  }

  peek(policy: RateLimitPolicy, subject: string, clock: () => Date): Promise<RateLimitDecision> {
    return this.settle(policy, subject, clock, () => undefined);
  }

  /** Reads the window, applies `change` and writes it back conditional on the version read. */
  private async settle(policy: RateLimitPolicy, subject: string, clock: () => Date, change: Change): Promise<RateLimitDecision> {
    const key = { pk: `RATE#${policy.name}#${subject}`, sk: 'RATE' };
    const windowMs = policy.windowSeconds * 1000;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const at = clock().getTime();
      const current = await this.client.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const version = (current.Item?.version as number | undefined) ?? 0;
      const recent = ((current.Item?.hits as number[] | undefined) ?? []).filter((hit) => hit > at - windowMs).sort((a, b) => a - b);
      const hits = change(recent, at);
      if (hits === undefined) return decision(policy, recent, at);
      try {
        await this.client.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, hits, version: version + 1, [TTL_ATTRIBUTE]: Math.ceil((at + windowMs) / 1000) + 60 },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':v': version } }),
          }),
        );
        return decision(policy, hits, at);
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // Someone else wrote first: back off a little (with jitter) and decide again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 * (attempt + 1))));
      }
    }
    throw new Error(`Rate limiter for ${policy.name} could not settle after ${MAX_ATTEMPTS} attempts`);
  }
}

/** The window as it stands with `hits` (sorted) at instant `at`; allowed while a slot is free. */
function decision(policy: RateLimitPolicy, hits: number[], at: number): RateLimitDecision {
  const windowMs = policy.windowSeconds * 1000;
  return {
    policy: policy.name,
    limit: policy.limit,
    windowSeconds: policy.windowSeconds,
    remaining: Math.max(0, policy.limit - hits.length),
    resetSeconds: hits.length < policy.limit ? 0 : Math.min(policy.windowSeconds, Math.max(1, Math.ceil((hits[0]! + windowMs - at) / 1000))),
    allowed: hits.length < policy.limit,
  };
}
