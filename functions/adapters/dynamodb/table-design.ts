// The one DynamoDB table and its indexes, declared once: the local stack creates it from
// this, and the CDK stack (infra/) deploys it from this. docs/DYNAMODB.md explains the design.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/** The list of scans is served by one sparse GSI per (partition, sort order) pair. */
export const LIST_INDEXES = [
  { name: 'byOrgTime', partition: 'org', order: 'time' },
  { name: 'byOrgStatus', partition: 'org', order: 'status' },
  { name: 'byOrgGrade', partition: 'org', order: 'grade' },
  { name: 'byOrgRisk', partition: 'org', order: 'risk' },
  { name: 'byOrgStatusTime', partition: 'orgStatus', order: 'time' },
  { name: 'byOrgStatusGrade', partition: 'orgStatus', order: 'grade' },
  { name: 'byOrgStatusRisk', partition: 'orgStatus', order: 'risk' },
] as const;

export type ListIndex = (typeof LIST_INDEXES)[number];

/**
 * Attributes a list index projects: exactly what a GET /api/scans row and search need.
 * `matching` tells a row's null riskScore "not matched" from "not finished" (≈ 30 bytes; the
 * NOT_MATCHED sentence ≈ 100 more).
 */
export const LIST_PROJECTION = ['id', 'tagId', 'image', 'status', 'compliance', 'riskScore', 'duration', 'scannedAt', 'matching', 'searchText', 'trigger'];

export const indexKeyNames = (index: ListIndex) => ({ pk: `${index.name}Pk`, sk: `${index.name}Sk` });

export const TTL_ATTRIBUTE = 'expiresAtEpoch';

/**
 * Sparse index of every organisation's scanned tags, spread over WATCH_SHARDS partitions and
 * sorted by when each was last scanned: a re-match run reads the tags scanned within its window
 * (a key condition, so tags outside it cost nothing) with their current scan (docs/WATCH.md).
 */
export const WATCH_INDEX = { name: 'watchedTags', pk: 'watchPk', sk: 'watchSk', projection: ['orgId', 'tagId', 'latestScan'] } as const;

/**
 * Every scan of one tag, by time: search reads the catalogue's matching tags and then only their
 * scans (scan-list.ts), and an image's history reads its tags' scans (docs/DYNAMODB.md,
 * "Catalogue"). Projects what a list row, its sort orders and a trend point need.
 */
export const TAG_SCANS_INDEX = {
  name: 'scansByTag',
  pk: 'scansByTagPk',
  sk: 'scansByTagSk',
  projection: ['id', 'tagId', 'image', 'status', 'compliance', 'riskScore', 'duration', 'scannedAt', 'requestedAt', 'matching', 'trigger', 'severityCounts'],
} as const;

/** Sparse index of QUEUED and IN_PROGRESS scans of every organisation, by deadline: the reaper's work list. */
export const ACTIVE_INDEX = { name: 'activeByDeadline', pk: 'activePk', sk: 'activeSk' } as const;

export function tableDefinition(tableName: string): CreateTableCommandInput {
  const attributes = new Set(['pk', 'sk', ACTIVE_INDEX.pk, ACTIVE_INDEX.sk, WATCH_INDEX.pk, WATCH_INDEX.sk, TAG_SCANS_INDEX.pk, TAG_SCANS_INDEX.sk]);
  for (const index of LIST_INDEXES) {
    const keys = indexKeyNames(index);
    attributes.add(keys.pk).add(keys.sk);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    GlobalSecondaryIndexes: [
      ...LIST_INDEXES.map((index) => {
        const keys = indexKeyNames(index);
        return {
          IndexName: index.name,
          KeySchema: [
            { AttributeName: keys.pk, KeyType: 'HASH' as const },
            { AttributeName: keys.sk, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: LIST_PROJECTION },
        };
      }),
      {
        IndexName: ACTIVE_INDEX.name,
        KeySchema: [
          { AttributeName: ACTIVE_INDEX.pk, KeyType: 'HASH' as const },
          { AttributeName: ACTIVE_INDEX.sk, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' as const },
      },
      {
        IndexName: WATCH_INDEX.name,
        KeySchema: [
          { AttributeName: WATCH_INDEX.pk, KeyType: 'HASH' as const },
          { AttributeName: WATCH_INDEX.sk, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...WATCH_INDEX.projection] },
      },
      {
        IndexName: TAG_SCANS_INDEX.name,
        KeySchema: [
          { AttributeName: TAG_SCANS_INDEX.pk, KeyType: 'HASH' as const },
          { AttributeName: TAG_SCANS_INDEX.sk, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...TAG_SCANS_INDEX.projection] },
      },
    ],
  };
}
