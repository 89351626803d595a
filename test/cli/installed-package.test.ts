// The CLI as a user installs it: `npm pack` of this checkout (which runs the build), installed
// offline into an empty prefix, run from there with nothing of the repository beside it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../build/bundles.ts';
import { entriesFromDir, writeOciLayout } from '../../scanner-task/testing/build-image.ts';
import { ensureRpmFixture, RPM_TOOLS } from '../../scanner-task/testing/rpm-fixture.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
let work: string;
let prefix: string;
let installed: string;

/** The installed binary, with an environment that holds only what a user's shell would. */
function installedHarborguard(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(join(prefix, 'bin', 'harborguard'), args, {
    cwd: work,
    encoding: 'utf8',
    env: { PATH: `${join(prefix, 'bin')}:/usr/bin:/bin`, HOME: work, ...env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'hg-package-'));
  prefix = join(work, 'prefix');
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: REPO_ROOT, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, join(work, tarball)], { cwd: work, stdio: 'ignore' });
  installed = join(prefix, 'lib', 'node_modules', 'harborguard');
}, 180_000);

describe('the packed CLI', () => {
  it('declares no run-time dependencies and installs none: the bundle is the package', () => {
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(existsSync(join(installed, 'node_modules'))).toBe(false);
    expect(readdirSync(installed).sort()).toEqual(['README.md', 'dist', 'package.json']);
    // No TypeScript, no tsx: only the bundle and its legal notices.
    const files = readdirSync(join(installed, 'dist'), { recursive: true, encoding: 'utf8' });
    expect(files.filter((file) => /\.(ts|tsx)$/.test(file))).toEqual([]);
  });

  it('prints its version and the advisory-snapshot format it reads', () => {
    const run = installedHarborguard(['--version']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^harborguard ${manifest.version.replaceAll('.', '\\.')} \\(advisory snapshot format \\d+\\)\\n$`));
  });

  it('answers a bad subcommand in one line with exit 2', () => {
    const run = installedHarborguard(['scna']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown command 'scna'/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  const skipRpm = missingTools(...RPM_TOOLS);
  it.skipIf(skipRpm)(`reads an rpm database with the WebAssembly SQLite it carries${skipRpm ? ` (skipped: ${skipRpm})` : ''}`, async () => {
    const fixture = ensureRpmFixture();
    const layout = await writeOciLayout(join(work, 'rpm-image'), { layers: [entriesFromDir(fixture.sqliteRoot)] });
    const run = installedHarborguard(['scan', layout, '--format', 'envelope'], { HARBORGUARD_DB: join(work, 'none.db') });
    expect(run.status, run.stderr).toBe(0);
    const names = (JSON.parse(run.stdout) as { packages: Array<{ type: string; name: string }> }).packages.filter((p) => p.type === 'rpm').map((p) => p.name);
    const truth = readFileSync(fixture.sqliteTruth, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t')[0]);
    expect(names.sort()).toEqual(truth.sort());
  });
});
