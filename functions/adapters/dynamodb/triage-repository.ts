// Where findings are followed across scans (TriageStore): first sightings per image tag,
// triage per repository, the SLA policy and the audit log, on the single table.
import { randomBytes } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SlaPolicy } from '#domain/triage/sla-policy.ts';
import type { AuditEntry, Triage, TriageStore } from '#domain/triage/triage-store.ts';
import type { CurrentScan } from '#domain/images/catalogue.ts';
import type { LatestScan } from '#domain/watch/tag-state.ts';
import type { Finding } from '#domain/findings/finding.ts';
import type { CatalogueTag } from '#domain/vulnerabilities/vulnerability-catalogue.ts';
import { imageUpdate } from './catalogue/image-items.ts';
import { replaceCurrentFindings, updateCurrentTriage, type VulnerabilityTable } from './catalogue/vulnerability-repository.ts';
import { watchKeyValues } from './tag-state-repository.ts';
import { batchWrite } from './batch-write.ts';
import { TRY_AGAIN, withRetries } from './retry.ts';
import { queryAll } from './query-all.ts';
import { TTL_ATTRIBUTE } from './table-design.ts';

const sightingsPk = (orgId: string, tagId: string) => `SIGHTINGS#${orgId}#${tagId}`;
const triagePk = (orgId: string, repository: string) => `TRIAGE#${orgId}#${repository}`;
const auditPk = (orgId: string) => `AUDIT#${orgId}`;
const orgPk = (orgId: string) => `ORG#${orgId}`;
/** Audit entries are kept for two years. */
const AUDIT_RETENTION_S = 2 * 365 * 86_400;

export class DynamoDbTriageRepository implements TriageStore {
  private readonly table: VulnerabilityTable;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.table = { client, tableName };
  }

  private queryAll(pk: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': pk },
      ConsistentRead: true,
    });
  }

  async firstSightings(orgId: string, tagId: string): Promise<Map<string, string>> {
    const items = await this.queryAll(sightingsPk(orgId, tagId));
    return new Map(items.map((item) => [item.sk as string, item.firstSeenAt as string]));
  }

  async recordFirstSightings(orgId: string, tagId: string, sightings: Map<string, string>): Promise<void> {
    await batchWrite(
      this.client,
      this.tableName,
      [...sightings].map(([key, firstSeenAt]) => ({ PutRequest: { Item: { pk: sightingsPk(orgId, tagId), sk: key, firstSeenAt } } })),
    );
  }

  async swapLatestScan(orgId: string, tagId: string, scan: CurrentScan) {
    let before: Record<string, unknown>;
    try {
      const result = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: orgPk(orgId), sk: `TAG#${tagId}` },
          UpdateExpression: 'SET latestScan = :scan, orgId = :org, watchPk = :watchPk, watchSk = :watchSk',
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(latestScan) OR (latestScan.scannedAt < :at AND latestScan.scanId <> :id))',
          ExpressionAttributeValues: {
            ':scan': scan,
            ':at': scan.scannedAt,
            ':id': scan.scanId,
            ':org': orgId,
            ...watchKeyValues(orgId, tagId, scan.scannedAt),
          },
          // The whole tag as it was: its previous latest scan, and the name and tag its repository's summary shows.
          ReturnValues: 'ALL_OLD',
        }),
      );
      before = result.Attributes ?? {};
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return undefined;
      throw error;
    }
    await this.recordImageLatest(orgId, tagId, before, scan);
    return { replaced: before.latestScan as LatestScan | undefined, name: before.name as string, tag: before.tag as string };
  }

  replaceCurrentFindings(
    orgId: string,
    tag: CatalogueTag,
    previous: { scanId: string; findings: Finding[] } | undefined,
    current: { scanId: string; findings: Finding[] },
  ): Promise<void> {
    return replaceCurrentFindings(this.table, orgId, tag, previous, current);
  }

  updateCurrentTriage(orgId: string, tagId: string, finding: Finding): Promise<void> {
    return updateCurrentTriage(this.table, orgId, tagId, finding);
  }

  /** The tag's repository now shows this scan, unless another of its tags was scanned later. */
  private async recordImageLatest(orgId: string, tagId: string, tag: Record<string, unknown>, scan: CurrentScan): Promise<void> {
    const latest = {
      tagId,
      tag: tag.tag as string,
      scanId: scan.scanId,
      scannedAt: scan.scannedAt,
      digest: scan.digest ?? null,
      riskScore: scan.riskScore ?? null,
      grade: scan.grade ?? null,
      severityCounts: scan.severityCounts ?? null,
    };
    const update = new UpdateCommand({ TableName: this.tableName, ...imageUpdate(orgId, tag.name as string, tagId, latest.tag, latest) });
    await withRetries(
      async () => {
        try {
          await this.client.send(update);
        } catch (error) {
          // A new tag of the same repository joins it in a transaction (scans/tags.ts), which a write meanwhile conflicts with.
          if (error instanceof TransactionConflictException) return TRY_AGAIN;
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
        return undefined;
      },
      () => new Error(`The summary of repository ${tag.name as string} could not be stored: conflicting writes kept refusing it`),
    );
  }

  async repositoryTriage(orgId: string, repository: string): Promise<Map<string, Triage>> {
    const items = await this.queryAll(triagePk(orgId, repository));
    return new Map(items.map((item) => [item.sk as string, item.triage as Triage]));
  }

  async putRepositoryTriage(orgId: string, repository: string, key: string, triage: Triage): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: triagePk(orgId, repository), sk: key, triage } }));
  }

  async getSlaPolicy(orgId: string): Promise<SlaPolicy | undefined> {
    const result = await this.client.send(new GetCommand({ TableName: this.tableName, Key: { pk: orgPk(orgId), sk: 'SLAPOLICY' } }));
    return result.Item?.policy as SlaPolicy | undefined;
  }

  async putSlaPolicy(orgId: string, policy: SlaPolicy): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: { pk: orgPk(orgId), sk: 'SLAPOLICY', policy } }));
  }

  async appendAudit(orgId: string, entry: AuditEntry): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: auditPk(orgId),
          sk: `${entry.at}#${randomBytes(4).toString('hex')}`,
          ...entry,
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(entry.at) / 1000) + AUDIT_RETENTION_S,
        },
      }),
    );
  }

  async listAudit(orgId: string, limit: number, cursor?: string): Promise<{ entries: AuditEntry[]; next?: string }> {
    const page = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': auditPk(orgId) },
        ScanIndexForward: false,
        Limit: limit,
        ...(cursor ? { ExclusiveStartKey: { pk: auditPk(orgId), sk: cursor } } : {}),
      }),
    );
    const entries = (page.Items ?? []).map(({ at, actor, sourceIp, action, target, before, after }) => ({
      at,
      actor,
      sourceIp,
      action,
      target,
      before,
      after,
    }));
    return { entries, ...(page.LastEvaluatedKey ? { next: page.LastEvaluatedKey.sk as string } : {}) };
  }
}
