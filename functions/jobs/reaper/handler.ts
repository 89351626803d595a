// Scheduled Lambda: fails scans stuck past their deadline (QUEUED too long, or running too long).
import { reapOverdueScans } from '#domain/pipeline/scan-lifecycle.ts';
import { reaperDependencies } from '../../composition/reaper.ts';
import type { Context } from 'aws-lambda';
import { logger } from '#shared/logging/logger.ts';
import { logInvocation } from '../job-context.ts';

export async function handler(_event?: unknown, context?: Context): Promise<{ reaped: number }> {
  logInvocation(context);
  const reaped = await reapOverdueScans(reaperDependencies());
  if (reaped > 0) logger.info('reaped overdue scans', { reaped });
  return { reaped };
}
