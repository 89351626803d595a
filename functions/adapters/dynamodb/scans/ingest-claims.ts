// Ingest claims: while one envelope's results are being staged for a scan, no other envelope
// may stage its own under the same keys (docs/DYNAMODB.md, "ingest claim"). The claim is its own
// item, so it works the same for a scan that exists and for a sensor's scan not yet created,
// and it never touches the scan item or its counters. saveScan releases it in the transaction
// that makes the scan COMPLETE (scan-writes.ts).
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { IngestClaim } from '#domain/scans/scan-store.ts';
import { TTL_ATTRIBUTE } from '../table-design.ts';
import { ingestClaimKey } from './keys.ts';
import type { ScanTable } from './table.ts';

/** Held by this envelope now (taken, or already its own), or false while another envelope's claim is live. */
export async function claimIngest(table: ScanTable, orgId: string, scanId: string, claim: IngestClaim, now: Date): Promise<boolean> {
  try {
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...ingestClaimKey(orgId, scanId),
          envelopeSha256: claim.envelopeSha256,
          untilMs: claim.until.getTime(),
          // Swept a day after it lapsed; until then the condition below reads the time itself.
          [TTL_ATTRIBUTE]: Math.ceil(claim.until.getTime() / 1000) + 86_400,
        },
        ConditionExpression: 'attribute_not_exists(pk) OR envelopeSha256 = :sha OR untilMs < :nowMs',
        ExpressionAttributeValues: { ':sha': claim.envelopeSha256, ':nowMs': now.getTime() },
      }),
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

/** Gives the claim up (an ingest that failed), if it is still this envelope's. */
export async function releaseIngest(table: ScanTable, orgId: string, scanId: string, envelopeSha256: string): Promise<void> {
  try {
    await table.client.send(
      new DeleteCommand({
        TableName: table.tableName,
        Key: ingestClaimKey(orgId, scanId),
        ConditionExpression: 'envelopeSha256 = :sha',
        ExpressionAttributeValues: { ':sha': envelopeSha256 },
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
}

/** The transaction item that releases the claim, and holds the write back unless the claim is still this envelope's. */
export const releaseIngestItem = (table: ScanTable, orgId: string, scanId: string, envelopeSha256: string) => ({
  Delete: {
    TableName: table.tableName,
    Key: ingestClaimKey(orgId, scanId),
    ConditionExpression: 'envelopeSha256 = :sha',
    ExpressionAttributeValues: { ':sha': envelopeSha256 },
  },
});
