// Scheduled Lambda: queues the day's registry checks of every organisation's watched tags
// (functions/domain/watch/registry-check.ts); the re-match job does the checking.
import type { Context } from 'aws-lambda';
import { planRegistryChecks } from '#domain/watch/registry-check.ts';
import { registryCheckDependencies } from '../../composition/registry-check.ts';
import { logInvocation } from '../job-context.ts';

export async function handler(_event?: unknown, context?: Context): Promise<{ batches: number }> {
  logInvocation(context);
  return { batches: await planRegistryChecks(registryCheckDependencies()) };
}
