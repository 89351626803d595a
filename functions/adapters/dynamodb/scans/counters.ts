// The scan counters: per organisation (`total` and `status_<STATUS>`, the list's totals) and per
// deployment (the running count, the global cap). Every write that changes a scan's status or
// existence carries these updates in its own transaction, so the counts stay exact.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RunningCaps } from '#domain/scans/scan-store.ts';
import type { ScanStatus } from '#domain/scans/scan.ts';
import { report } from '../capacity.ts';
import { DEPLOYMENT_COUNTERS_KEY, orgCountersKey } from './keys.ts';
import type { ScanTable } from './table.ts';

const statusCounter = (status: ScanStatus) => `status_${status}`;
const RUNNING = statusCounter('IN_PROGRESS');

/** The counter changes of one scan moving from `previous` to `next` (undefined: absent). */
export function statusDeltas(previous: ScanStatus | undefined, next: ScanStatus | undefined): Record<string, number> {
  const deltas: Record<string, number> = {};
  if (previous === next) return deltas;
  if (previous === undefined) deltas.total = 1;
  if (next === undefined) deltas.total = -1;
  if (previous) deltas[statusCounter(previous)] = -1;
  if (next) deltas[statusCounter(next)] = 1;
  return deltas;
}

/** Sums the deltas of several scans (one transaction creating many). */
export function sumDeltas(all: Array<Record<string, number>>): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const deltas of all) for (const [name, delta] of Object.entries(deltas)) sum[name] = (sum[name] ?? 0) + delta;
  return sum;
}

/** Transaction items for a status change: the organisation's counters, and the deployment's running count. */
export function counterUpdates(tableName: string, orgId: string, deltas: Record<string, number>, caps?: RunningCaps) {
  if (Object.keys(deltas).length === 0) return [];
  const running = deltas[RUNNING];
  const updates = [counterUpdate(tableName, orgCountersKey(orgId), deltas, caps?.perOrganization)];
  if (running) updates.push(counterUpdate(tableName, DEPLOYMENT_COUNTERS_KEY, { [RUNNING]: running }, caps?.perDeployment));
  return updates;
}

/** An ADD of each delta; with a cap, conditional on the running count being below it. */
function counterUpdate(tableName: string, key: { pk: string; sk: string }, deltas: Record<string, number>, cap?: number) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(deltas).map(([attribute, delta], i) => {
    names[`#c${i}`] = attribute;
    values[`:d${i}`] = delta;
    return `#c${i} :d${i}`;
  });
  const capped = cap !== undefined && (deltas[RUNNING] ?? 0) > 0;
  if (capped) {
    names['#running'] = RUNNING;
    values[':cap'] = cap;
  }
  return {
    Update: {
      TableName: tableName,
      Key: key,
      UpdateExpression: `ADD ${parts.join(', ')}`,
      ...(capped ? { ConditionExpression: 'attribute_not_exists(#running) OR #running < :cap' } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** The organisation's scan count, of one status or of all. */
export async function countScans(table: ScanTable, orgId: string, status: ScanStatus | undefined): Promise<number> {
  const result = await table.client.send(new GetCommand({ TableName: table.tableName, Key: orgCountersKey(orgId), ReturnConsumedCapacity: 'TOTAL' }));
  report(table.observer, 'countScans', result.ConsumedCapacity);
  const value = result.Item?.[status ? statusCounter(status) : 'total'];
  return typeof value === 'number' ? Math.max(0, value) : 0;
}
