// A private stack per test file: its own table, queue and bucket on the shared local engines,
// and the real API Gateway server in front of the real handlers.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createApiGatewayServer } from '../../local/api-gateway-server.ts';
import { createStackResources } from '../../local/local-aws.ts';
import { mountRouteGroups } from '../../local/mount-route-groups.ts';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef';

export interface TestStack {
  baseUrl: string;
  resources: { TABLE_NAME: string; SCAN_QUEUE_URL: string; ARTIFACT_BUCKET: string };
  close(): Promise<void>;
}

export async function startTestStack(): Promise<TestStack> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const resources = await createStackResources(prefix);
  Object.assign(process.env, resources, { HG_SESSION_SECRET: TEST_SESSION_SECRET });
  const server = createApiGatewayServer(await mountRouteGroups());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    resources,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
