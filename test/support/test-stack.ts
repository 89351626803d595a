// A private stack per test file: its own table, queue and bucket on the shared local engines,
// and the real API Gateway server in front of the real handlers.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApiGatewayServer } from '../../local/api-gateway-server.ts';
import { createStackResources, type StackResources } from '../../local/local-aws.ts';
import { startLocalQueueJobs } from '../../local/queue-jobs.ts';
import { LOOPBACK_EGRESS, startLocalPipeline, type LocalPipeline } from '../../local/local-pipeline.ts';
import { mountRouteGroups } from '../../local/mount-route-groups.ts';
import { startSnapshotWatch, type SnapshotWatch } from '../../local/snapshot-watch.ts';
import { SCANNERS } from '../../shared/scans/scanners.ts';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';
export const TEST_REGISTRY_KEY = 'test-registry-key-0123456789abcdef0123456789';

export interface TestStack {
  baseUrl: string;
  resources: StackResources;
  /** With `pipeline`: its hooks, for tests that wait on what the dispatcher or a task stop did. */
  pipeline?: LocalPipeline;
  /** With `snapshotWatch`: the local snapshot publisher, to check now rather than at its next poll. */
  snapshotWatch?: SnapshotWatch;
  close(): Promise<void>;
}

/** A deployment whose task image carries every scanner, as the Fargate image does. */
const ALL_SCANNERS = SCANNERS.join(',');

/**
 * With `pipeline`, also the dispatcher, the ECS endpoint running real scanner tasks, task
 * events and the reaper, as `npm start` runs them; `env` adds settings (timeouts, caps…).
 */
export async function startTestStack(
  options: { pipeline?: boolean; snapshotWatch?: { file?: string }; env?: Record<string, string> } = {},
): Promise<TestStack> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const resources = await createStackResources(prefix);
  Object.assign(
    process.env,
    resources,
    { HG_SESSION_SECRET: TEST_SESSION_SECRET, HG_REGISTRY_KEY: TEST_REGISTRY_KEY, HG_SCANNERS: ALL_SCANNERS, HG_EGRESS_ALLOW: LOOPBACK_EGRESS },
    options.env,
  );
  const server = createApiGatewayServer(await mountRouteGroups());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const pipeline = options.pipeline ? await startLocalPipeline({ apiUrl: baseUrl, reaperIntervalMs: 500, visibilityTimeoutSeconds: 1 }) : undefined;
  // Every stack ingests large uploads, as every deployment does (the pipeline runs the job itself).
  const ingest = pipeline ? undefined : await startLocalQueueJobs();
  const snapshotWatch = options.snapshotWatch ? startSnapshotWatch(options.snapshotWatch) : undefined;
  return {
    baseUrl,
    resources,
    ...(pipeline ? { pipeline } : {}),
    ...(snapshotWatch ? { snapshotWatch } : {}),
    async close() {
      await snapshotWatch?.stop();
      await ingest?.stop();
      await pipeline?.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
