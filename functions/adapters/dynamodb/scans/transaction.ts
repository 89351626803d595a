// One TransactWriteItems, its cancellation read as the callers need it: which item's condition
// held the write back, or a cancellation for throttling or a conflicting transaction, which
// the caller retries (bounded, functions/adapters/dynamodb/retry.ts) since nothing was wrong
// with the write itself.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { report } from '../capacity.ts';
import type { ScanTable } from './table.ts';

export type TransactionOutcome =
  | { kind: 'written' }
  /** `items[i]` is true where that item's condition failed. */
  | { kind: 'condition-failed'; items: boolean[] }
  | { kind: 'contended' };

const CONTENDED = new Set(['ThrottlingError', 'TransactionConflict', 'ProvisionedThroughputExceeded']);

export async function transact(
  table: ScanTable,
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
  operation: string,
): Promise<TransactionOutcome> {
  try {
    const result = await table.client.send(new TransactWriteCommand({ TransactItems: items, ReturnConsumedCapacity: table.observer ? 'TOTAL' : 'NONE' }));
    report(table.observer, operation, result.ConsumedCapacity);
    return { kind: 'written' };
  } catch (error) {
    if (!(error instanceof TransactionCanceledException)) throw error;
    const reasons = error.CancellationReasons ?? [];
    if (reasons.some((reason) => CONTENDED.has(reason.Code ?? ''))) return { kind: 'contended' };
    return { kind: 'condition-failed', items: items.map((_, i) => reasons[i]?.Code === 'ConditionalCheckFailed') };
  }
}
