// Scheduled Lambda: fails scans stuck past their deadline (QUEUED too long, or running too long).
import { reapOverdueScans } from '#domain/pipeline/scan-lifecycle.ts';
import { reaperDependencies } from '../../composition/reaper.ts';
import { logLine } from '../log-line.ts';

export async function handler(): Promise<{ reaped: number }> {
  const reaped = await reapOverdueScans(reaperDependencies());
  if (reaped > 0) logLine('info', 'reaped overdue scans', { reaped });
  return { reaped };
}
