// Builds the whole deployment once for a test file, with cdk.json's feature flags as the CLI
// would: the three stacks, their templates and the cloud assembly (with cdk-nag's validation report). Function bundling is skipped unless asked
// for; the job functions are fixtures, so the wiring of every trigger is tested even before
// functions/jobs/ has them all.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildHarborGuard, PLACEHOLDER_ENV } from '../../../infra/harbor-guard.ts';
import { JOB_SETTINGS } from '../../../infra/job-settings.ts';
import { REPO_ROOT } from '../../../infra/paths.ts';

export const FIXTURE_JOBS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jobs');
export const FIXTURE_JOBS = Object.entries(JOB_SETTINGS).map(([name, settings]) => ({ name, entry: `${name}/handler.ts`, trigger: settings.trigger.kind }));

export interface ValidationReport {
  pluginReports: Array<{
    pluginName: string;
    conclusion: string;
    violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
  }>;
}

export interface AssetManifest {
  dockerImages: Record<string, { source: { directory: string; dockerFile?: string; platform?: string; dockerBuildArgs?: Record<string, string> } }>;
}

/** The app before synthesis, for tests that change it first. */
function build({ nag = false, context: extra = {} }: { nag?: boolean; context?: Record<string, unknown> } = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'hg-cdk-'));
  // No bundling, no copies of asset sources, no construct stack traces (slow under vitest's
  // source maps): the templates are the same, synth is several times faster.
  const context = {
    ...(JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context,
    'aws:cdk:bundling-stacks': [],
    'aws:cdk:disable-asset-staging': true,
    'aws:cdk:disable-stack-trace': true,
    '@aws-cdk/core:validationReportJson': true,
    ...extra,
  };
  // CDK's built-in CloudFormation validation (a WebAssembly linter, seconds per synth) runs in
  // synth.test.ts, which synthesizes the real app through the CLI.
  const app = new App({ outdir, context, builtinCloudFormationValidation: false });
  const stacks = buildHarborGuard(app, { env: PLACEHOLDER_ENV, jobs: FIXTURE_JOBS, jobsRoot: FIXTURE_JOBS_DIR, nag });
  return { app, stacks, outdir, synth: () => app.synth(), cleanup: () => rmSync(outdir, { recursive: true, force: true }) };
}

export function synthHarborGuard(options: { nag?: boolean; context?: Record<string, unknown> } = {}) {
  const { stacks, outdir, synth, cleanup } = build(options);
  const assembly = synth();
  return {
    stacks,
    assembly,
    templates: {
      stateful: Template.fromStack(stacks.stateful),
      scanner: Template.fromStack(stacks.scanner),
      api: Template.fromStack(stacks.api),
    },
    assetManifest: (stackName: string) => JSON.parse(readFileSync(join(outdir, `${stackName}.assets.json`), 'utf8')) as AssetManifest,
    validationReport: () => JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport,
    cleanup,
  };
}
synthHarborGuard.build = build;

export type SynthesizedHarborGuard = ReturnType<typeof synthHarborGuard>;
