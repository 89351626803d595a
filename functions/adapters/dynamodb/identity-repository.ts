// Where identity is stored: organisations, users, memberships and credentials (IdentityStore).
// A credential is found by the SHA-256 of its secret in one read (CRED#<hash>); small pointer
// items list an organisation's keys and a user's tokens without scanning.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type {
  ApiKeyRecord,
  CredentialRecord,
  IdentityStore,
  Membership,
  MembershipGuard,
  Organization,
  PatRecord,
  User,
} from '#domain/identity/identity-store.ts';
import type { Role } from '#domain/identity/roles.ts';
import { queryAll } from './query-all.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const credKey = (hash: string) => ({ pk: `CRED#${hash}`, sk: 'CRED' });
const apiKeyPointer = (orgId: string, keyId: string) => ({ pk: `ORG#${orgId}`, sk: `APIKEY#${keyId}` });
const patPointer = (userId: string, orgId: string, patId: string) => ({ pk: `USER#${userId}#ORG#${orgId}`, sk: `PAT#${patId}` });
const memberKey = (orgId: string, userId: string) => ({ pk: `ORG#${orgId}`, sk: `MEMBER#${userId}` });
/** Writing lastUsedAt on every request would double the cost of a read-only call. */
const LAST_USED_RESOLUTION_MS = 60_000;

function strip<T>(item: Record<string, unknown> | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return rest as T;
}

export class DynamoDbIdentityRepository implements IdentityStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async findCredentialByHash(secretHash: string): Promise<CredentialRecord | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: credKey(secretHash), ConsistentRead: true }));
    return strip<CredentialRecord>(result.Item);
  }

  async recordCredentialUse(credential: CredentialRecord, at: string): Promise<void> {
    const threshold = new Date(Date.parse(at) - LAST_USED_RESOLUTION_MS).toISOString();
    if (credential.lastUsedAt && credential.lastUsedAt > threshold) return;
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: credKey(credential.secretHash),
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :threshold)',
          ExpressionAttributeValues: { ':at': at, ':threshold': threshold },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private async createCredential(record: CredentialRecord, pointer: { pk: string; sk: string }): Promise<void> {
    await this.client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: this.tableName, Item: { ...credKey(record.secretHash), ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
          {
            Put: {
              TableName: this.tableName,
              Item: { ...pointer, secretHash: record.secretHash, createdAt: record.createdAt },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ],
      }),
    );
  }

  private async listCredentials<T extends CredentialRecord>(pk: string, skPrefix: string): Promise<T[]> {
    const pointers = await this.queryPrefix(pk, skPrefix);
    const keys = pointers.map((item) => credKey(item.secretHash as string));
    const records: T[] = [];
    for (let i = 0; i < keys.length; i += 100) {
      let pending: Record<string, unknown>[] | undefined = keys.slice(i, i + 100);
      while (pending && pending.length > 0) {
        const batch: BatchGetCommandOutput = await this.client.send(
          new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
        );
        for (const item of batch.Responses?.[this.tableName] ?? []) records.push(strip<T>(item)!);
        pending = batch.UnprocessedKeys?.[this.tableName]?.Keys;
      }
    }
    return records.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  private async getCredential<T extends CredentialRecord>(pointer: { pk: string; sk: string }, kind: T['kind'], orgId: string): Promise<T | undefined> {
    const found = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pointer, ConsistentRead: true }));
    if (!found.Item) return undefined;
    const credential = await this.findCredentialByHash(found.Item.secretHash as string);
    return credential?.kind === kind && credential.orgId === orgId ? (credential as T) : undefined;
  }

  private async deleteCredential(pointer: { pk: string; sk: string }): Promise<boolean> {
    const found = await this.client.send(new GetCommand({ TableName: this.tableName, Key: pointer, ConsistentRead: true }));
    if (!found.Item) return false;
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Delete: { TableName: this.tableName, Key: pointer, ConditionExpression: 'attribute_exists(pk)' } },
            { Delete: { TableName: this.tableName, Key: credKey(found.Item.secretHash as string) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  createApiKey(key: ApiKeyRecord): Promise<void> {
    return this.createCredential(key, apiKeyPointer(key.orgId, key.id));
  }

  async createScanCredential(key: ApiKeyRecord & { scanId: string; expiresAt: string }): Promise<void> {
    const expiresAtEpoch = Math.ceil(Date.parse(key.expiresAt) / 1000) + 3600;
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...credKey(key.secretHash), ...key, [TTL_ATTRIBUTE]: expiresAtEpoch },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  listApiKeys(orgId: string): Promise<ApiKeyRecord[]> {
    return this.listCredentials<ApiKeyRecord>(`ORG#${orgId}`, 'APIKEY#');
  }

  getApiKey(orgId: string, keyId: string): Promise<ApiKeyRecord | undefined> {
    return this.getCredential<ApiKeyRecord>(apiKeyPointer(orgId, keyId), 'api_key', orgId);
  }

  deleteApiKey(orgId: string, keyId: string): Promise<boolean> {
    return this.deleteCredential(apiKeyPointer(orgId, keyId));
  }

  createPat(pat: PatRecord): Promise<void> {
    return this.createCredential(pat, patPointer(pat.userId, pat.orgId, pat.id));
  }

  listPats(userId: string, orgId: string): Promise<PatRecord[]> {
    return this.listCredentials<PatRecord>(`USER#${userId}#ORG#${orgId}`, 'PAT#');
  }

  getPat(userId: string, orgId: string, patId: string): Promise<PatRecord | undefined> {
    return this.getCredential<PatRecord>(patPointer(userId, orgId, patId), 'pat', orgId);
  }

  deletePat(userId: string, orgId: string, patId: string): Promise<boolean> {
    return this.deleteCredential(patPointer(userId, orgId, patId));
  }

  async ensureOrganization(org: Organization): Promise<Organization> {
    return this.ensureUnique({ pk: `ORGSLUG#${org.slug}`, sk: 'ORGSLUG' }, { pk: `ORG#${org.id}`, sk: 'ORG' }, org);
  }

  async ensureUser(user: User): Promise<User> {
    return this.ensureUnique({ pk: `EMAIL#${user.email}`, sk: 'EMAIL' }, { pk: `USER#${user.id}`, sk: 'USER' }, user);
  }

  /** Writes the record under a unique natural key and its id, unless the natural key is taken. */
  private async ensureUnique<T extends object>(unique: { pk: string; sk: string }, byId: { pk: string; sk: string }, record: T): Promise<T> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: { TableName: this.tableName, Item: { ...unique, ...record }, ConditionExpression: 'attribute_not_exists(pk)' } },
            { Put: { TableName: this.tableName, Item: { ...byId, ...record } } },
          ],
        }),
      );
      return record;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const existing = await this.client.send(new GetCommand({ TableName: this.tableName, Key: unique, ConsistentRead: true }));
      if (!existing.Item) throw error;
      return strip<T>(existing.Item)!;
    }
  }

  async getUser(userId: string): Promise<User | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: `USER#${userId}`, sk: 'USER' } }));
    return strip<User>(result.Item);
  }

  async getMembership(orgId: string, userId: string): Promise<Membership | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: memberKey(orgId, userId), ConsistentRead: true }));
    return strip<Membership>(result.Item);
  }

  async listMembers(orgId: string): Promise<Membership[]> {
    return (await this.queryPrefix(`ORG#${orgId}`, 'MEMBER#')).map((item) => strip<Membership>(item)!);
  }

  private queryPrefix(pk: string, skPrefix: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': skPrefix },
      ConsistentRead: true,
    });
  }

  async addMembership(membership: Membership): Promise<boolean> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...memberKey(membership.orgId, membership.userId), ...membership },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async updateMembershipRole(orgId: string, userId: string, role: Role, at: string, guard: MembershipGuard): Promise<Membership | undefined> {
    const written = await this.guardedMembershipWrite(orgId, guard, {
      Update: {
        TableName: this.tableName,
        Key: memberKey(orgId, userId),
        UpdateExpression: 'SET #r = :role, updatedAt = :at',
        ConditionExpression: 'attribute_exists(pk) AND #r = :was',
        ExpressionAttributeNames: { '#r': 'role' },
        ExpressionAttributeValues: { ':role': role, ':at': at, ':was': guard.role },
      },
    });
    return written ? this.getMembership(orgId, userId) : undefined;
  }

  deleteMembership(orgId: string, userId: string, guard: MembershipGuard): Promise<boolean> {
    return this.guardedMembershipWrite(orgId, guard, {
      Delete: {
        TableName: this.tableName,
        Key: memberKey(orgId, userId),
        ConditionExpression: 'attribute_exists(pk) AND #r = :was',
        ExpressionAttributeNames: { '#r': 'role' },
        ExpressionAttributeValues: { ':was': guard.role },
      },
    });
  }

  /**
   * One transaction: the membership write conditional on the role it was decided on, and, when
   * an owner steps down, a check that another owner still is one. Two owners demoting each other
   * at once touch both items, so at most one transaction commits.
   */
  private async guardedMembershipWrite(
    orgId: string,
    guard: MembershipGuard,
    write: NonNullable<TransactWriteCommandInput['TransactItems']>[number],
  ): Promise<boolean> {
    const otherOwner = guard.otherOwner
      ? [
          {
            ConditionCheck: {
              TableName: this.tableName,
              Key: memberKey(orgId, guard.otherOwner),
              ConditionExpression: '#r = :owner',
              ExpressionAttributeNames: { '#r': 'role' },
              ExpressionAttributeValues: { ':owner': 'owner' },
            },
          },
        ]
      : [];
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: [write, ...otherOwner] }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }
}
