// The CLI as a user installs it: `npm pack` of this checkout (which runs the build), installed
// offline into an empty prefix, run from there with nothing of the repository beside it; then
// `harborguard ci` gating real images by policy and VEX with that binary.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../build/bundles.ts';
import { entriesFromDir, writeOciLayout } from '../../scanner-task/testing/build-image.ts';
import { ensureRpmFixture, RPM_TOOLS } from '../../scanner-task/testing/rpm-fixture.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';
import { cycloneDx16Validator, sarif210Validator } from '../../shared/sbom/testdata/schema-validators.ts';
import { writeGateFixtures, writeNotAffectedVex } from './gate-fixtures.ts';

const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
let work: string;
let prefix: string;
let installed: string;

/** The installed binary, with an environment that holds only what a user's shell would. */
function installedHarborguard(args: string[], env: Record<string, string> = {}, cwd = work) {
  const result = spawnSync(join(prefix, 'bin', 'harborguard'), args, {
    cwd,
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

describe('harborguard ci, installed', () => {
  let base: string;
  let app: string;
  let db: string;
  /** A folder of its own per case, for its policy file and reports. */
  const folder = (name: string) => mkdtempSync(join(work, `${name}-`));
  const gate = (args: string[], cwd = work) => installedHarborguard(['ci', ...args, '--db', db], {}, cwd);

  beforeAll(async () => {
    ({ base, app, db } = await writeGateFixtures(join(work, 'gate')));
  });

  it('fails an image with a HIGH finding under --fail-on high, naming the finding, and passes it under the default (CRITICAL)', () => {
    const failed = gate([app, '--fail-on', 'high']);
    expect(failed.status, failed.stderr).toBe(1);
    expect(failed.stdout).toContain('CVE-2021-23337');
    expect(failed.stdout.trimEnd().split('\n').at(-1)).toBe('FAIL: failOn HIGH broken by 1 finding');
    const passed = gate([app]);
    expect(passed.status, passed.stderr).toBe(0);
    expect(passed.stdout.trimEnd().split('\n').at(-1)).toMatch(/^PASS: /);
    expect(gate([base, '--fail-on', 'high']).status).toBe(0);
  });

  it('passes once a VEX document marks the finding not_affected, and lists it as suppressed with the justification', () => {
    const dir = folder('vex');
    const vex = writeNotAffectedVex(join(dir, 'app.openvex.json'));
    const run = gate([app, '--fail-on', 'high', '--vex', vex], dir);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Suppressed\n {2}CVE-2021-23337 in lodash 4\.17\.20: VEX not_affected: vulnerable_code_not_in_execute_path/);
    // A document that is not valid OpenVEX: one line, exit 2.
    writeFileSync(vex, JSON.stringify({ '@context': 'https://openvex.dev/ns/v0.2.0', statements: [{ status: 'maybe' }] }));
    const invalid = gate([app, '--vex', vex], dir);
    expect(invalid.status).toBe(2);
    expect(invalid.stderr).toMatch(/^harborguard ci: .*app\.openvex\.json: .+\n$/);
  });

  it('applies an ignore rule of .harborguard.yaml until it expires, and says when one has', () => {
    const rule = (expires: string) =>
      `failOn: high\nignore:\n  - vulnerability: GHSA-35jh-r3h4-6jhm\n    reason: lodash's template() is never called\n    expires: ${expires}\n`;
    const dir = folder('ignore');
    writeFileSync(join(dir, '.harborguard.yaml'), rule('2999-12-31'));
    const ignored = gate([app], dir);
    expect(ignored.status, ignored.stderr).toBe(0);
    expect(ignored.stdout).toContain("ignored: lodash's template() is never called");
    writeFileSync(join(dir, '.harborguard.yaml'), rule('2020-01-31'));
    const expired = gate([app], dir);
    expect(expired.status, expired.stderr).toBe(1);
    expect(expired.stdout).toMatch(/Expired ignore rule \(no longer applies\): GHSA-35jh-r3h4-6jhm, expired 2020-01-31/);
    // A policy file with a mistake is no decision: one line naming the file and the setting.
    writeFileSync(join(dir, '.harborguard.yaml'), 'failOn: high\nignore:\n  - vulnerability: CVE-1\n');
    const broken = gate([app], dir);
    expect(broken.status).toBe(2);
    expect(broken.stderr).toBe('harborguard ci: .harborguard.yaml: ignore[0].reason: required\n');
  });

  it('with --new-only fails only for what the image adds to its baseline', () => {
    const adds = gate([app, '--fail-on', 'high', '--new-only', '--baseline', base]);
    expect(adds.status, adds.stderr).toBe(1);
    const same = gate([app, '--fail-on', 'high', '--new-only', '--baseline', app]);
    expect(same.status, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/1 in the baseline/);
    const missing = gate([app, '--new-only']);
    expect(missing.status).toBe(2);
  });

  it('writes SARIF and CycloneDX that validate against their official schemas, beside the table', () => {
    const dir = folder('reports');
    const run = gate(
      [app, '--fail-on', 'high', '--output', `sarif=${join(dir, 'ci.sarif')}`, '--output', `cyclonedx=${join(dir, 'ci.cdx.json')}`, '--format', 'json'],
      dir,
    );
    expect(run.status, run.stderr).toBe(1);
    expect(run.stderr.trimEnd().split('\n').at(-1)).toBe('FAIL: failOn HIGH broken by 1 finding');
    expect(JSON.parse(run.stdout)).toHaveProperty('verdict');
    const sarif = sarif210Validator();
    expect(sarif(JSON.parse(readFileSync(join(dir, 'ci.sarif'), 'utf8'))), JSON.stringify(sarif.errors)).toBe(true);
    const cyclonedx = cycloneDx16Validator();
    expect(cyclonedx(JSON.parse(readFileSync(join(dir, 'ci.cdx.json'), 'utf8'))), JSON.stringify(cyclonedx.errors)).toBe(true);
  });
});
