// The CLI as users run it: real process, real exit codes, reports on stdout or in a file.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES, type Severity } from '#shared/envelope/envelope-schema.ts';
import { buildSnapshot } from '../match/build-snapshot.ts';
import { entriesFromDir, tarOf, writeOciLayout } from '../testing/build-image.ts';
import { writeDocker25Archive } from '../testing/docker25-archive.ts';
import { harborguard } from '../testing/run-cli.ts';
import { push, startRegistry, type LocalRegistry } from '../testing/local-registry.ts';
import { missingTools } from '../testing/tools.ts';
import { debianNpmImage, offlineTrivyEnv, trivyBinDir, trivySkipReason } from '../testing/trivy.ts';

let source: string;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hg-cli-'));
  source = await writeOciLayout(join(dir, 'layout'), {
    config: { config: { User: 'app' } },
    layers: [
      [
        { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
        { name: 'var/lib/dpkg/status', content: 'Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\nArchitecture: amd64\n' },
      ],
    ],
  });
});

describe('harborguard scan', () => {
  it('prints a table by default, and writes envelope, CycloneDX and SPDX to -o files', async () => {
    const formats = ['envelope', 'cyclonedx', 'spdx'];
    const [table, ...runs] = await Promise.all([
      harborguard(['scan', source]),
      ...formats.map((f) => harborguard(['scan', source, '--format', f, '-o', join(dir, `${f}.json`)])),
    ]);
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/deb\s+bash\s+5\.2\.15-2\+b2/);
    // No TTY: no progress lines (a one-line note, e.g. about a missing advisory database, may remain).
    expect(table.stderr).not.toContain('\u001b[K');
    expect(table.stderr).not.toMatch(/layer \d+\/\d+/);
    for (const [i, format] of formats.entries()) {
      const out = join(dir, `${format}.json`);
      const run = runs[i]!;
      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toBe('');
      const doc = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
      expect(doc).toHaveProperty(format === 'envelope' ? 'packages' : format === 'cyclonedx' ? 'bomFormat' : 'spdxVersion');
    }
  });

  it('says in the envelope that vulnerabilities were not matched when there is no advisory database', async () => {
    const run = await harborguard(['scan', source, '--format', 'envelope'], '', { HARBORGUARD_DB: join(dir, 'no-such.db') });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/reporting without vulnerabilities/);
    const envelope = JSON.parse(run.stdout) as { warnings?: string[]; vulnerabilities: unknown[] };
    expect(envelope.vulnerabilities).toEqual([]);
    expect(envelope.warnings).toEqual([expect.stringMatching(/^vulnerabilities not matched: .*no-such\.db/)]);
  });

  it('fails with a one-line reason and a non-zero exit', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['scan', `oci:${join(dir, 'nothing')}`], /is not an OCI image layout/],
      [['scan', `docker-archive:${join(dir, 'layout', 'index.json')}`], /not a tar|checksum/],
      [['scan', `${source.replace(/:test$/, ':nope')}`], /tag "nope" not found/],
      [['scan', source, '--platform', 'linux', '--password-stdin'], /invalid platform|--password-stdin needs --username/],
      [['scan', source, '--scanners', 'harborguard,clair'], /unknown scanner "clair"; known: harborguard, trivy, grype, syft, osv, dockle, dive/],
    ];
    const runs = await Promise.all(cases.map(([args]) => harborguard(args)));
    for (const [i, [args, reason]] of cases.entries()) {
      expect(runs[i]!.status, args.join(' ')).not.toBe(0);
      expect(runs[i]!.stderr).toMatch(reason);
      expect(runs[i]!.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

describe('harborguard scan: platforms, bare paths, the table', () => {
  const oneLineFailure = (run: { status: number | null; stderr: string }, line: string) => {
    expect(run.status).toBe(1);
    expect(run.stderr).toBe(`harborguard: ${line}\n`);
  };

  it('refuses a single-platform image for another platform asked for, and scans it when none is asked for', async () => {
    const arm = await writeOciLayout(join(dir, 'arm64-layout'), {
      config: { architecture: 'arm64', variant: 'v8' },
      layers: [[{ name: 'etc/os-release', content: 'ID=debian\n' }]],
    });
    const archive = join(dir, 'amd64-docker.tar');
    await writeDocker25Archive(join(dir, 'layout'), 'test', archive, 'app:1');
    const [layoutWrong, archiveWrong, armAsked, armUnasked] = await Promise.all([
      harborguard(['scan', source, '--platform', 'linux/arm64']),
      harborguard(['scan', `docker-archive:${archive}`, '--platform', 'linux/arm64']),
      // arm64 "v8" and no variant are the same platform.
      harborguard(['scan', arm, '--platform', 'linux/arm64', '--format', 'envelope']),
      // The default linux/amd64 is not asked for: an arm64-only image is scanned as it is.
      harborguard(['scan', arm, '--format', 'envelope']),
    ]);
    oneLineFailure(layoutWrong, 'the image is for platform linux/amd64 only, not linux/arm64 as asked');
    oneLineFailure(archiveWrong, 'the image is for platform linux/amd64 only, not linux/arm64 as asked');
    for (const run of [armAsked, armUnasked]) {
      expect(run.status, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).image.platform).toBe('linux/arm64/v8');
    }
  });

  it('names the transport that fits a file or directory given without one', async () => {
    const layout = join(dir, 'layout');
    const dockerArchive = join(dir, 'docker.tar');
    await writeDocker25Archive(layout, 'test', dockerArchive, 'app:1');
    const ociArchive = join(dir, 'oci.tar');
    writeFileSync(ociArchive, await tarOf(entriesFromDir(layout)));
    const notAnImage = join(dir, 'notes.txt');
    writeFileSync(notAnImage, 'not a tar');
    const plainDir = join(dir, 'plain-dir');
    mkdirSync(plainDir, { recursive: true });
    const [dirRun, dockerRun, ociRun, otherRun, plainRun, followed] = await Promise.all([
      ...[layout, dockerArchive, ociArchive, notAnImage, plainDir].map((path) => harborguard(['scan', path])),
      harborguard(['scan', `docker-archive:${dockerArchive}`]),
    ]);
    oneLineFailure(dirRun, `${layout} is a directory on disk, not a registry reference: scan it as oci:${layout}`);
    oneLineFailure(dockerRun!, `${dockerArchive} is a file on disk, not a registry reference: scan it as docker-archive:${dockerArchive}`);
    oneLineFailure(ociRun!, `${ociArchive} is a file on disk, not a registry reference: scan it as oci-archive:${ociArchive}`);
    oneLineFailure(
      otherRun!,
      `${notAnImage} is a file on disk, not a registry reference: it is no image archive (no manifest.json or oci-layout), which would be scanned as docker-archive:${notAnImage} (docker save) or oci-archive:${notAnImage}`,
    );
    oneLineFailure(
      plainRun!,
      `${plainDir} is a directory on disk, not a registry reference: it is no OCI image layout (no oci-layout file), which would be scanned as oci:${plainDir}`,
    );
    // The suggestion works.
    expect(followed!.status, followed!.stderr).toBe(0);
    expect(followed!.stdout).toMatch(/deb\s+bash\s+5\.2\.15-2\+b2/);
  });

  it('lists vulnerabilities worst first, and package locations as the envelope gives them', async () => {
    const npm = (name: string, version: string) => ({ name: `app/node_modules/${name}/package.json`, content: JSON.stringify({ name, version }) });
    const image = await writeOciLayout(join(dir, 'vulnerable'), {
      layers: [
        [
          { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
          {
            name: 'var/lib/dpkg/status',
            content:
              'Package: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b13\nSource: bash (5.2.15-2)\n\nPackage: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.38.1-5+b1\nSource: util-linux (2.38.1-5)\n',
          },
        ],
        [npm('lodash', '4.17.15'), npm('express', '4.17.1')],
      ],
    });
    const scenarios = join(import.meta.dirname, '..', 'match', 'testdata', 'scenarios');
    const db = join(dir, 'advisories.db');
    await buildSnapshot({ from: [join(scenarios, 'debian-source', 'osv'), join(scenarios, 'npm', 'osv')], output: db });
    const [table, json] = await Promise.all([harborguard(['scan', image, '--db', db]), harborguard(['scan', image, '--db', db, '--format', 'envelope'])]);
    expect(table.status, table.stderr).toBe(0);
    const section = (title: string) =>
      table.stdout
        .split(/\n\n/)
        .find((block) => block.startsWith(title))!
        .split('\n')
        .slice(2)
        .map((line) => line.split(/\s+/));
    const found = section('Vulnerabilities').map(([severity, id, pkg]) => ({ severity: severity as Severity, id: id!, pkg: pkg! }));
    // The table's collation is fixed ('en'), not the locale this test runs in.
    const byName = new Intl.Collator('en').compare;
    const worstFirst = [...found].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || byName(a.pkg, b.pkg) || byName(a.id, b.id));
    expect(found).toEqual(worstFirst);
    // The fixture can tell the orders apart: by package alone the rows would read differently.
    expect(found).not.toEqual([...found].sort((a, b) => byName(a.pkg, b.pkg) || byName(a.id, b.id)));
    const envelope = JSON.parse(json.stdout) as { packages: Array<{ name: string; location: string }> };
    const tableLocations = new Map(section('Packages').map((cells) => [cells[1], cells[4]]));
    expect(envelope.packages.map((p) => [p.name, tableLocations.get(p.name)])).toEqual(envelope.packages.map((p) => [p.name, p.location]));
    expect(tableLocations.get('bash')).toBe('var/lib/dpkg/status');
  });
});

describe('harborguard scan --scanners', () => {
  it('reports a requested scanner that is not installed, on stderr and in the envelope, and completes', async () => {
    const out = join(dir, 'missing-scanner.json');
    // A PATH with node only: none of the external tools can be found.
    const run = await harborguard(['scan', source, '--scanners', 'harborguard,grype', '--format', 'envelope', '-o', out], '', {
      PATH: dirname(process.execPath),
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/^harborguard scan: grype: grype is not installed in this runtime \(not found on PATH\); reporting without it$/m);
    const envelope = JSON.parse(readFileSync(out, 'utf8'));
    expect(envelope.scanners.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['harborguard', 'COMPLETED'],
      ['grype', 'UNAVAILABLE'],
    ]);
    expect(envelope.scanners[1].error).toMatch(/not installed/);
    expect(envelope.packages.map((p: { name: string }) => p.name)).toEqual(['bash']);
  });

  it.skipIf(trivySkipReason)(
    `runs the real trivy beside the engine and merges what it found${trivySkipReason ? ` (skipped: ${trivySkipReason})` : ''}`,
    { timeout: 180_000 },
    async () => {
      const image = await writeOciLayout(join(dir, 'trivy-layout'), debianNpmImage);
      const out = join(dir, 'with-trivy.json');
      const env = { PATH: `${trivyBinDir(dir)}${delimiter}${process.env.PATH}`, ...offlineTrivyEnv(join(dir, 'trivy-cache')) };
      const [withTrivy, alone] = await Promise.all([
        harborguard(['scan', image, '--scanners', 'harborguard,trivy', '--format', 'envelope', '-o', out], '', env),
        harborguard(['scan', image, '--format', 'envelope'], '', env),
      ]);
      expect(withTrivy.status, withTrivy.stderr).toBe(0);
      expect(withTrivy.stderr).not.toMatch(/trivy/);
      const envelope = JSON.parse(readFileSync(out, 'utf8'));
      expect(envelope.scanners).toEqual([
        expect.objectContaining({ name: 'harborguard', status: 'COMPLETED' }),
        // What `trivy --version` says (this npm build of trivy calls itself "dev").
        { name: 'trivy', version: expect.stringMatching(/^(dev|\d+\.\d+\.\d+)$/), status: 'COMPLETED', durationMs: expect.any(Number) },
      ]);
      // trivy listed the same two packages: merged into the engine's, not repeated.
      const names = (e: { packages: Array<{ type: string; name: string; version: string }> }) =>
        e.packages.map((p) => `${p.type}:${p.name}@${p.version}`).sort();
      expect(names(envelope)).toEqual(['deb:bsdutils@1:2.38.1-5+b1', 'npm:lodash@4.17.15']);
      expect(alone.status, alone.stderr).toBe(0);
      expect(JSON.parse(alone.stdout).scanners.map((s: { name: string }) => s.name)).toEqual(['harborguard']);
    },
  );
});

const skip = missingTools('docker-registry', 'htpasswd', 'skopeo');
describe.skipIf(skip)(`harborguard scan against a registry${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let registry: LocalRegistry;
  const creds = { username: 'cli', password: 'pa ss:word' };
  beforeAll(async () => {
    registry = await startRegistry({ auth: creds });
    push(source, registry.host, 'cli/app:1', [], creds);
  }, 60_000);
  afterAll(() => registry?.stop());

  it('reads the password from stdin, and says when auth is needed', async () => {
    const [ok, denied] = await Promise.all([
      harborguard(
        ['scan', `${registry.host}/cli/app:1`, '--insecure', '--username', creds.username, '--password-stdin', '--format', 'envelope'],
        `${creds.password}\n`,
      ),
      harborguard(['scan', `${registry.host}/cli/app:1`, '--insecure']),
    ]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).packages[0].name).toBe('bash');
    expect(denied.status).toBe(1);
    expect(denied.stderr).toMatch(/authentication required/);
  });

  it('names --insecure when a registry cannot be reached over TLS', async () => {
    // The registry's own port at 0.0.0.0, which Linux connects to this host but which is not a
    // loopback address by its spelling: TLS to the plain-HTTP registry fails.
    const port = registry.host.split(':')[1]!;
    const result = await harborguard(['scan', `0.0.0.0:${port}/cli/app:1`]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^harborguard: cannot reach the registry at 0\.0\.0\.0:\d+: .*; if it serves plain HTTP, pass --insecure\n$/);
  });

  it('scans a loopback registry that speaks plain HTTP without --insecure, after trying HTTPS first (as Docker does)', async () => {
    for (const host of [registry.host, registry.host.replace('127.0.0.1', 'localhost')]) {
      const result = await harborguard(['scan', `${host}/cli/app:1`, '--username', creds.username, '--password-stdin', '--format', 'envelope'], creds.password);
      expect(result.status, result.stderr).toBe(0);
      expect((JSON.parse(result.stdout) as { packages: unknown[] }).packages.length).toBeGreaterThan(0);
    }
  });

  it('gives dive a local copy of a registry image, and reports it not installed (not failed) when absent', async () => {
    // A stand-in dive that records its arguments and whether the archive was there.
    const bin = join(dir, 'dive-bin');
    const seen = join(dir, 'dive-seen.txt');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'dive'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "dive 0.13.1"; exit 0; fi\n[ -f "$3" ] && echo "$* present" > '${seen}'\necho '{}' > "$5"\n`,
    );
    chmodSync(join(bin, 'dive'), 0o755);
    const scan = (path: string) =>
      harborguard(
        [
          'scan',
          `${registry.host}/cli/app:1`,
          '--insecure',
          '--username',
          creds.username,
          '--password-stdin',
          '--scanners',
          'harborguard,dive',
          '--format',
          'envelope',
        ],
        `${creds.password}\n`,
        { PATH: path },
      );
    const [absent, present] = await Promise.all([scan(dirname(process.execPath)), scan(`${bin}${delimiter}${dirname(process.execPath)}`)]);
    expect(absent.status, absent.stderr).toBe(0);
    expect(absent.stderr).toMatch(/^harborguard scan: dive: dive is not installed in this runtime \(not found on PATH\); reporting without it$/m);
    expect(JSON.parse(absent.stdout).scanners.map((s: { name: string; status: string }) => [s.name, s.status])).toEqual([
      ['harborguard', 'COMPLETED'],
      ['dive', 'UNAVAILABLE'],
    ]);
    expect(present.status, present.stderr).toBe(0);
    expect(JSON.parse(present.stdout).scanners[1]).toMatchObject({ name: 'dive', version: '0.13.1', status: 'COMPLETED' });
    expect(readFileSync(seen, 'utf8').trim()).toMatch(/^--source docker-archive \S+\/hg-image-[^/]+\/image\.tar --json \S+ present$/);
  });
});
