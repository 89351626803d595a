// Scheduled Lambda: fails scans stuck past their deadline (QUEUED too long, or running too long).
import { reapOverdueScans } from '#domain/pipeline/scan-lifecycle.ts';
import { dependencies, type Dependencies } from '#http/dependencies.ts';
import { logLine } from '../log-line.ts';

export function reaperHandler(deps: () => Dependencies = dependencies) {
  return async (): Promise<{ reaped: number }> => {
    const reaped = await reapOverdueScans(deps());
    if (reaped > 0) logLine('info', 'reaped overdue scans', { reaped });
    return { reaped };
  };
}

export const handler = reaperHandler();
