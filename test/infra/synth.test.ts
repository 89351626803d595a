// `npx cdk synth` on this checkout with no AWS credentials, configuration or region: what a
// clean clone in CI does. The CLI runs the real app (cdk.json): functions bundled by the local
// esbuild, the scanner image's build context staged, cdk-nag on. CDK's built-in CloudFormation
// linter only warns and doubles the time, so it is left to a developer's own `npx cdk synth`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/paths.ts';

const home = mkdtempSync(join(tmpdir(), 'hg-synth-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

/** The environment minus everything that could give the CLI an account, a region or credentials. */
function credentialFreeEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(name)) env[name] = value;
  }
  // npm's update check costs every `npx --no-install esbuild` the CDK runs (one per function).
  return { ...env, HOME: home, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true', npm_config_update_notifier: 'false' };
}

it('synthesizes all three stacks without AWS credentials', () => {
  const out = join(home, 'cdk.out');
  const cli = join(REPO_ROOT, 'node_modules', 'aws-cdk', 'bin', 'cdk');
  const result = spawnSync(process.execPath, [cli, 'synth', '--quiet', '--ci', '-o', out], {
    cwd: REPO_ROOT,
    env: credentialFreeEnv(),
    encoding: 'utf8',
    timeout: 240_000,
  });
  expect(result.status, result.stderr).toBe(0);
  for (const stack of ['HarborGuard-Stateful', 'HarborGuard-Scanner', 'HarborGuard-Api']) {
    const template = JSON.parse(readFileSync(join(out, `${stack}.template.json`), 'utf8')) as { Resources: object };
    expect(Object.keys(template.Resources).length).toBeGreaterThan(5);
  }
  // Every function's bundle is a real esbuild output, and the placeholder account was used.
  const bundles = readdirSync(out).filter((name) => name.startsWith('asset.') && existsSync(join(out, name, 'index.mjs')));
  expect(bundles.length).toBeGreaterThanOrEqual(4);
  expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toContain('aws://123456789012/us-east-1');
}, 240_000);
