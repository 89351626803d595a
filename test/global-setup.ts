// Starts the real local AWS parts once for the whole run: DynamoDB Local (in memory) and
// fauxqs (SQS + S3). Each test file creates its own table, queue and bucket on them.
import type { TestProject } from 'vitest/node';
import { freshScannerEntry } from '../build/fresh-scanner.ts';
import { startLocalAws } from '../local/local-aws.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    awsEnv: Record<string, string>;
  }
}

export default async function setup(project: TestProject) {
  // Built once here, before the test files' stacks start scanner tasks from it in parallel.
  await freshScannerEntry('task');
  const aws = await startLocalAws();
  project.provide('awsEnv', aws.env);
  return () => aws.stop();
}
