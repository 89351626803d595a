// A scan's findings: one item each under the scan's own partition (`SCANDATA#<org>#<scan>`),
// so that a scan's findings are one Query and never share a partition with the list.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Finding } from '#domain/findings/finding.ts';
import { batchWrite } from '../batch-write.ts';
import { queryAll } from '../query-all.ts';
import { findingKey, findingsPk } from './keys.ts';
import type { ScanTable } from './table.ts';

function queryPartition(table: ScanTable, orgId: string, scanId: string, projection?: string) {
  return queryAll(table.client, {
    TableName: table.tableName,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': findingsPk(orgId, scanId) },
    ...(projection ? { ProjectionExpression: projection } : {}),
    ConsistentRead: true,
  });
}

const withoutKeys = ({ pk: _pk, sk: _sk, ...finding }: Record<string, unknown>) => finding as unknown as Finding;

export async function listFindings(table: ScanTable, orgId: string, scanId: string): Promise<Finding[]> {
  return (await queryPartition(table, orgId, scanId)).map(withoutKeys);
}

export async function getFinding(table: ScanTable, orgId: string, scanId: string, findingId: string): Promise<Finding | undefined> {
  const result = await table.client.send(new GetCommand({ TableName: table.tableName, Key: findingKey(orgId, scanId, findingId), ConsistentRead: true }));
  return result.Item ? withoutKeys(result.Item) : undefined;
}

export async function putFindings(table: ScanTable, orgId: string, scanId: string, findings: Finding[]): Promise<void> {
  const puts = findings.map((finding) => ({ PutRequest: { Item: { ...findingKey(orgId, scanId, finding.id), ...finding } } }));
  await batchWrite(table.client, table.tableName, puts, table.observer, table.retry);
}

/** Writes these findings, then deletes the scan's others (a repeated upload with fewer findings). */
export async function replaceFindings(table: ScanTable, orgId: string, scanId: string, findings: Finding[]): Promise<void> {
  const previous = await findingSortKeys(table, orgId, scanId);
  await putFindings(table, orgId, scanId, findings);
  const current = new Set(findings.map((finding) => findingKey(orgId, scanId, finding.id).sk));
  await deleteBySortKey(
    table,
    orgId,
    scanId,
    previous.filter((sk) => !current.has(sk)),
  );
}

export async function deleteFindings(table: ScanTable, orgId: string, scanId: string): Promise<void> {
  await deleteBySortKey(table, orgId, scanId, await findingSortKeys(table, orgId, scanId));
}

async function findingSortKeys(table: ScanTable, orgId: string, scanId: string): Promise<string[]> {
  return (await queryPartition(table, orgId, scanId, 'sk')).map((item) => item.sk as string);
}

function deleteBySortKey(table: ScanTable, orgId: string, scanId: string, sortKeys: string[]) {
  const deletes = sortKeys.map((sk) => ({ DeleteRequest: { Key: { pk: findingsPk(orgId, scanId), sk } } }));
  return batchWrite(table.client, table.tableName, deletes, table.observer, table.retry);
}
