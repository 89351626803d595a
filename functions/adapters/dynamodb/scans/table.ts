// What every part of the scan store is handed: the client, the table and the optional
// capacity meter (functions/adapters/dynamodb/capacity.ts).
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CapacityObserver } from '../capacity.ts';
import type { RetryPolicy } from '../retry.ts';

export interface ScanTable {
  client: DynamoDBDocumentClient;
  tableName: string;
  observer?: CapacityObserver;
  /** How lost races and throttled writes are retried (DEFAULT_RETRY unless a test injects another). */
  retry: RetryPolicy;
}
