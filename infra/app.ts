// `cdk synth` / `cdk deploy` entry point (cdk.json). Without AWS credentials the CLI knows no
// account: the stacks are then synthesised for a placeholder account and region whose
// availability zones are committed in cdk.context.json, so synth never calls AWS.
import { App } from 'aws-cdk-lib';
import { buildHarborGuard, PLACEHOLDER_ENV } from './harbor-guard.ts';

const account = process.env.CDK_DEFAULT_ACCOUNT;
const region = process.env.CDK_DEFAULT_REGION;
const app = new App();
buildHarborGuard(app, { env: account && region ? { account, region } : PLACEHOLDER_ENV });
app.synth();
