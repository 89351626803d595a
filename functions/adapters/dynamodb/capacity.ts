// Read/write cost reporting: every adapter call asks DynamoDB for its consumed capacity
// (free to ask) and hands it to an optional observer — the benchmark's meter, or a logger.
import type { ConsumedCapacity } from '@aws-sdk/client-dynamodb';

export type CapacityObserver = (operation: string, units: number) => void;

export function report(observer: CapacityObserver | undefined, operation: string, consumed?: ConsumedCapacity | ConsumedCapacity[]): void {
  if (!observer || !consumed) return;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  observer(
    operation,
    list.reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0),
  );
}
