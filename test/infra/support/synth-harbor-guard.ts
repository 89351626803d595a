// Builds the whole deployment once for a test file: the three stacks, their templates and the
// cloud assembly (with cdk-nag's validation report). Function bundling is skipped unless asked
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

export const FIXTURE_JOBS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'jobs');
export const FIXTURE_JOBS = Object.keys(JOB_SETTINGS).map((name) => ({ name, entry: `${name}/handler.ts` }));

export interface ValidationReport {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }> }>;
}

export interface AssetManifest {
  dockerImages: Record<string, { source: { directory: string; dockerFile?: string; platform?: string; dockerBuildArgs?: Record<string, string> } }>;
}

export function synthHarborGuard({ nag = false }: { nag?: boolean } = {}) {
  const outdir = mkdtempSync(join(tmpdir(), 'hg-cdk-'));
  // No bundling and no copies of asset sources: the templates are the same, synth is faster.
  const context = { 'aws:cdk:bundling-stacks': [], 'aws:cdk:disable-asset-staging': true, '@aws-cdk/core:validationReportJson': true };
  const app = new App({ outdir, context });
  const stacks = buildHarborGuard(app, { env: PLACEHOLDER_ENV, jobs: FIXTURE_JOBS, jobsRoot: FIXTURE_JOBS_DIR, nag });
  const assembly = app.synth();
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
    cleanup: () => rmSync(outdir, { recursive: true, force: true }),
  };
}

export type SynthesizedHarborGuard = ReturnType<typeof synthHarborGuard>;
