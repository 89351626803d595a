// EventBridge rule target for "ECS Task State Change" events of scanner tasks: a task that
// stopped with a non-zero exit fails its scan with the stop reason.
import * as z from '#shared/validation.ts';
import { handleTaskStopped } from '#domain/pipeline/scan-lifecycle.ts';
import { taskEventsDependencies } from '../../composition/task-events.ts';
import type { Context } from 'aws-lambda';
import { logger } from '#shared/logging/logger.ts';
import { logInvocation } from '../job-context.ts';

const taskStateChange = z.object({
  'detail-type': z.literal('ECS Task State Change'),
  detail: z.object({
    lastStatus: z.string(),
    stoppedReason: z.optional(z.string()),
    containers: z._default(z.array(z.object({ name: z.optional(z.string()), exitCode: z.nullish(z.number()), reason: z.optional(z.string()) })), []),
    overrides: z.optional(
      z.object({
        containerOverrides: z._default(z.array(z.object({ environment: z._default(z.array(z.object({ name: z.string(), value: z.string() })), []) })), []),
      }),
    ),
  }),
});

export async function handler(event: unknown, context?: Context): Promise<{ failed: boolean }> {
  logInvocation(context);
  const parsed = taskStateChange.safeParse(event);
  if (!parsed.success || parsed.data.detail.lastStatus !== 'STOPPED') return { failed: false };
  const { detail } = parsed.data;
  const env = new Map(detail.overrides?.containerOverrides.flatMap((o) => o.environment.map((e) => [e.name, e.value] as const)) ?? []);
  const scanId = env.get('HG_SCAN_ID');
  const orgId = env.get('HG_ORG_ID');
  if (!scanId || !orgId) return { failed: false };
  const container = detail.containers[0];
  const failed = await handleTaskStopped(
    {
      orgId,
      scanId,
      exitCode: container?.exitCode ?? null,
      stoppedReason: [detail.stoppedReason, container?.reason].filter(Boolean).join('; ') || 'no reason given',
    },
    taskEventsDependencies(),
  );
  if (failed) logger.info('scan failed by task stop', { scanId, orgId });
  return { failed };
}
