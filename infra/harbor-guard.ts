// The whole deployment as three stacks: stateful (data), scanner (network + Fargate) and api
// (functions, REST API, jobs, monitoring), checked by cdk-nag's AwsSolutions pack.
import { Validations, type App, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { JOB_FUNCTIONS, type JobFunction } from '../functions/jobs/job-functions.ts';
import { acknowledgeAcceptedWildcards } from './nag-suppressions.ts';
import { JOB_FUNCTIONS_DIR } from './paths.ts';
import { readSettings } from './settings.ts';
import { ApiStack } from './stacks/api-stack.ts';
import { ScannerStack } from './stacks/scanner-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';

/** The account and region synth uses when no credentials say otherwise (cdk.context.json). */
export const PLACEHOLDER_ENV = { account: '123456789012', region: 'us-east-1' } as const;

export interface HarborGuardOptions {
  env: Environment;
  jobs?: JobFunction[];
  jobsRoot?: string;
  /** cdk-nag's AwsSolutions pack as a validation plugin (synth fails on an unacknowledged finding). */
  nag?: boolean;
}

export function buildHarborGuard(app: App, options: HarborGuardOptions) {
  const settings = readSettings(app.node);
  const stateful = new StatefulStack(app, 'HarborGuard-Stateful', { env: options.env, settings, terminationProtection: true });
  const scanner = new ScannerStack(app, 'HarborGuard-Scanner', { env: options.env, settings, artifacts: stateful.artifacts });
  const api = new ApiStack(app, 'HarborGuard-Api', {
    env: options.env,
    settings,
    stateful,
    scanner,
    jobs: options.jobs ?? JOB_FUNCTIONS,
    jobsRoot: options.jobsRoot ?? JOB_FUNCTIONS_DIR,
  });
  for (const stack of [stateful, scanner, api]) acknowledgeAcceptedWildcards(stack);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { stateful, scanner, api };
}
