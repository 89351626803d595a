// The GitHub Action (action.yml) without GitHub: each `run` step's script, with the environment
// its `env:` gives it (inputs and the action's path substituted as the runner would) and the
// runner's files (GITHUB_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY), run by bash here.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../build/bundles.ts';
import { sarif210Validator } from '../../shared/sbom/testdata/schema-validators.ts';
import { writeGateFixtures, writeNotAffectedVex } from './gate-fixtures.ts';

interface Step {
  name: string;
  id?: string;
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
}
const action = parse(readFileSync(join(REPO_ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; steps: Step[] };
};
const step = (name: string) => action.runs.steps.find((s) => s.name === name)!;

let work: string;
let runner: { RUNNER_TEMP: string; GITHUB_PATH: string; GITHUB_OUTPUT: string; GITHUB_STEP_SUMMARY: string };
let app: string;
let db: string;

/** A step's env as the runner evaluates it: only `inputs.*` and `github.action_path` are used, and anything else fails here. */
function stepEnv(s: Step, inputs: Record<string, string>): Record<string, string> {
  const value = (expression: string): string => {
    const input = /^inputs\.([\w-]+)$/.exec(expression);
    if (input) {
      const declared = action.inputs[input[1]!];
      if (!declared) throw new Error(`step ${s.name} reads an undeclared input ${input[1]}`);
      return inputs[input[1]!] ?? declared.default ?? '';
    }
    if (expression === 'github.action_path') return REPO_ROOT;
    throw new Error(`step ${s.name}: an expression this test does not evaluate: ${expression}`);
  };
  return Object.fromEntries(Object.entries(s.env ?? {}).map(([name, text]) => [name, text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_, e: string) => value(e))]));
}

function runStep(s: Step, inputs: Record<string, string>) {
  const path = existsSync(runner.GITHUB_PATH) ? readFileSync(runner.GITHUB_PATH, 'utf8').trim().split('\n').filter(Boolean) : [];
  const result = spawnSync('bash', ['-c', s.run!], {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: [...path, process.env.PATH].join(':'), HOME: work, ...runner, ...stepEnv(s, inputs) },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const outputs = () =>
  Object.fromEntries(
    readFileSync(runner.GITHUB_OUTPUT, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('=', 2) as [string, string]),
  );

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'hg-action-'));
  runner = {
    RUNNER_TEMP: join(work, 'runner-temp'),
    GITHUB_PATH: join(work, 'github-path'),
    GITHUB_OUTPUT: join(work, 'github-output'),
    GITHUB_STEP_SUMMARY: join(work, 'step-summary.md'),
  };
  spawnSync('mkdir', ['-p', runner.RUNNER_TEMP]);
  ({ app, db } = await writeGateFixtures(work));
  const install = runStep(step('Install the harborguard CLI'), {});
  if (install.status !== 0) throw new Error(`install step failed: ${install.stderr}`);
}, 180_000);

it('is a composite action whose install step puts the packed CLI on the job’s PATH', () => {
  expect(action.runs.using).toBe('composite');
  const path = readFileSync(runner.GITHUB_PATH, 'utf8').trim();
  expect(existsSync(join(path, 'harborguard'))).toBe(true);
  expect(spawnSync(join(path, 'harborguard'), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^harborguard \d+\.\d+\.\d+ /);
});

it('fails the job on a policy failure, with SARIF written, the summary appended and the outcome set', () => {
  const sarif = join(work, 'results.sarif');
  const gate = runStep(step('Gate the image'), { image: app, 'fail-on': 'high', db, sarif });
  expect(gate.status, gate.stderr).toBe(1);
  expect(gate.stdout.trimEnd().split('\n').at(-1)).toBe('FAIL: failOn HIGH broken by 1 finding');
  expect(outputs().outcome).toBe('fail');
  expect(readFileSync(runner.GITHUB_STEP_SUMMARY, 'utf8')).toMatch(/FAIL/);
  const validate = sarif210Validator();
  expect(validate(JSON.parse(readFileSync(sarif, 'utf8'))), JSON.stringify(validate.errors)).toBe(true);
  // The upload runs even though the gate failed, and only when there is a SARIF file.
  const upload = step('Upload SARIF to code scanning');
  expect(upload.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
  expect(upload.if).toMatch(/always\(\)/);
  expect(upload.if).toMatch(/inputs\.sarif != ''/);
});

it('passes with a VEX document that marks the finding not_affected (one path per line)', () => {
  const vex = writeNotAffectedVex(join(work, 'app.openvex.json'), 'inline_mitigations_already_exist');
  const gate = runStep(step('Gate the image'), { image: app, 'fail-on': 'high', db, vex: `${vex}\n`, summary: 'false' });
  expect(gate.status, gate.stderr).toBe(0);
  expect(outputs().outcome).toBe('pass');
});

it('reports undecided (exit 2) for an image that cannot be read', () => {
  const gate = runStep(step('Gate the image'), { image: `oci:${join(work, 'missing')}`, db });
  expect(gate.status).toBe(2);
  expect(outputs().outcome).toBe('undecided');
});
