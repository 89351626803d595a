// What the dispatcher hands a scanner task about the image's registry: whether plain HTTP is
// allowed and whether credentials exist — never the credentials themselves, which ECS would show
// to DescribeTasks and CloudTrail would record (the task fetches them with its scan-scoped key).
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { taskArnOf } from './pipeline-support.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let org: SeededOrg;
let admin: Credential;
const PASSWORD = 'dispatch-test-password-9f3a';

beforeAll(async () => {
  stack = await startTestStack({ pipeline: true });
  org = await seedOrganization('registry-dispatch');
  admin = apiKey(org.apiKeys.admin);
}, 120_000);
afterAll(() => stack?.close());

/** The environment the task was started with, as ECS reports it. */
async function taskEnvironment(scanId: string): Promise<Record<string, string>> {
  const taskArn = await taskArnOf(org.orgId, scanId);
  const { tasks } = await new ECSClient({}).send(new DescribeTasksCommand({ cluster: process.env.SCANNER_CLUSTER, tasks: [taskArn] }));
  const overrides = tasks![0]!.overrides!.containerOverrides![0]!;
  expect(JSON.stringify(tasks)).not.toContain(PASSWORD);
  return Object.fromEntries(overrides.environment!.map((e) => [e.name!, e.value!]));
}

it.each([
  ['plain HTTP allowed, no credentials', 'registry-a.internal.example:5000', { allowPlainHttp: true }, { HG_REGISTRY_PLAIN_HTTP: 'true' }],
  ['credentials, TLS', 'registry-b.internal.example', { username: 'ci', password: PASSWORD }, { HG_REGISTRY_CREDENTIALS: 'true' }],
  ['no settings', 'registry-c.internal.example', undefined, {}],
])('%s', { timeout: 60_000 }, async (_label, host, settings, expected) => {
  if (settings) expect((await call(stack.baseUrl, 'PUT', `/api/registries/${host}`, admin, settings)).status).toBe(201);
  const scanId = (await call(stack.baseUrl, 'POST', '/api/scans', admin, { image: `${host}/team/app:1.0` })).body.scanId as string;
  const environment = await taskEnvironment(scanId);
  expect(environment.HG_IMAGE).toBe(`${host}/team/app:1.0`);
  const registryVariables = Object.fromEntries(Object.entries(environment).filter(([name]) => name.startsWith('HG_REGISTRY_')));
  expect(registryVariables).toEqual(expected);
  await call(stack.baseUrl, 'POST', `/api/scans/${scanId}/cancel`, admin);
});
