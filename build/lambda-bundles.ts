// Every Lambda's bundle: one per HTTP route group and one per job, from the lists the local
// stack and the CDK stacks read.
import { join } from 'node:path';
import { ROUTE_GROUPS } from '../functions/http/route-groups.ts';
import { JOB_FUNCTIONS } from '../functions/jobs/job-functions.ts';
import { lambdaBundle, REPO_ROOT, type Bundle } from './bundles.ts';

export const allLambdaBundles = (): Bundle[] => [
  ...ROUTE_GROUPS.map((group) => lambdaBundle(group.name, join(REPO_ROOT, 'functions', 'http', group.entry))),
  ...JOB_FUNCTIONS.map((job) => lambdaBundle(job.name, join(REPO_ROOT, 'functions', 'jobs', job.entry))),
];
