// The runner on stand-in tools (real processes on a private PATH), the merge of their
// outputs, and — when a trivy build is available (LAB.md §5) — the real trivy.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { push, startRegistry, type LocalRegistry } from '../testing/local-registry.ts';
import { startTokenProxy } from '../testing/token-proxy.ts';
import { missingTools } from '../testing/tools.ts';
import { debianNpmImage, offlineTrivyEnv, trivyBinDir, trivySkipReason } from '../testing/trivy.ts';
import { mergeVulnerabilities } from './merge-vulnerabilities.ts';
import { MAX_RAW_OUTPUT_BYTES } from '#shared/scans/scanners.ts';
import { rawOutputOf, runScanners } from './run-scanners.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';

const work = mkdtempSync(join(tmpdir(), 'hg-scanners-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const fixture = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

// A stand-in that answers --version like the tool and prints a recorded output otherwise.
function fakeTool(dir: string, name: string, version: string, output: string, exitCode = 0): void {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\nif [ "$1" = "--version" ] || [ "$1" = "version" ]; then echo "${version}"; exit 0; fi\ncat '${output}'\nexit ${exitCode}\n`);
  chmodSync(file, 0o755);
}

describe('runScanners', () => {
  it('runs the tools it finds, reports the missing and unknown ones, and merges the results', async () => {
    const bin = join(work, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    fakeTool(bin, 'trivy', 'Version: 0.50.1', fixture('./trivy/testdata/image-debian-npm.json'));
    fakeTool(bin, 'osv-scanner', 'osv-scanner version: 2.0.0', fixture('./osv-scanner/testdata/image-debian-npm.json'));
    fakeTool(bin, 'dockle', 'dockle version 0.4.14', '/nonexistent', 3);
    const runs = await runScanners(['harborguard', 'trivy', 'grype', 'osv', 'dockle', 'clair'], 'docker-archive:/images/app.tar', { path: bin });
    expect(runs.map((r) => ({ ...r.scanner, durationMs: typeof r.scanner.durationMs }))).toEqual([
      { name: 'trivy', version: '0.50.1', status: 'COMPLETED', durationMs: 'number' },
      { name: 'grype', status: 'UNAVAILABLE', error: 'grype is not installed in this runtime (not found on PATH)', durationMs: 'undefined' },
      { name: 'osv', version: '2.0.0', status: 'COMPLETED', durationMs: 'number' },
      { name: 'dockle', version: '0.4.14', status: 'FAILED', durationMs: 'number', error: expect.stringMatching(/Command failed/) },
      { name: 'clair', status: 'UNAVAILABLE', error: expect.stringMatching(/^unknown scanner/), durationMs: 'undefined' },
    ]);
    // Each completed tool's own JSON is kept, as printed, for the scan's raw outputs.
    expect(runs.map((r) => r.rawOutput)).toEqual([
      { json: readFileSync(fixture('./trivy/testdata/image-debian-npm.json'), 'utf8') },
      undefined,
      { json: readFileSync(fixture('./osv-scanner/testdata/image-debian-npm.json'), 'utf8') },
      undefined,
      undefined,
    ]);
    const merged = mergeVulnerabilities(runs.map((r) => r.output?.vulnerabilities ?? []));
    const lodash = merged.filter((v) => v.package === 'lodash');
    expect(lodash.map((v) => [v.id, v.severity, v.cvss, v.fixedVersion, v.sources])).toEqual([
      ['CVE-2020-8203', 'HIGH', 7.4, '4.17.19', ['CVE-2020-8203', 'GHSA-p6mc-m468-83gw', 'trivy']],
      ['CVE-2021-23337', 'HIGH', 7.2, '4.17.21', ['CVE-2021-23337', 'GHSA-35jh-r3h4-6jhm', 'osv-scanner', 'trivy']],
    ]);
  });

  it('keeps a raw output up to the limit, and beyond it only its size', () => {
    const atLimit = 'x'.repeat(MAX_RAW_OUTPUT_BYTES);
    expect(rawOutputOf(atLimit)).toEqual({ json: atLimit });
    // Counted in bytes, not characters: one more (two-byte) character is over.
    expect(rawOutputOf(`${atLimit.slice(1)}é`)).toEqual({ omitted: 'too-large', bytes: MAX_RAW_OUTPUT_BYTES + 1 });
  });

  it('gives dive a docker-archive copy of an OCI layout, which it cannot read', async () => {
    const bin = join(work, 'bin-oci');
    mkdirSync(bin, { recursive: true });
    const seen = join(work, 'seen-oci.txt');
    recordingTool(bin, 'dive', seen);
    const layout = await writeOciLayout(join(work, 'oci-for-dive'), { layers: [[{ name: 'etc/hostname', content: 'x\n' }]] });
    const [run] = await runScanners(['dive'], layout, { path: bin });
    expect(run!.scanner).toMatchObject({ name: 'dive', status: 'COMPLETED' });
    expect(readFileSync(seen, 'utf8')).toMatch(/^--source docker-archive \S+\/hg-image-[^/]+\/image\.tar --json \S+\npresent\n$/);
  });

  it('hands a registry image to the tools as a reference, with credentials in their environment only', async () => {
    const bin = join(work, 'bin-registry');
    execFileSync('mkdir', ['-p', bin]);
    const seen = join(work, 'seen.txt');
    // Records its arguments and the credential variables it was given, then reports nothing found.
    writeFileSync(
      join(bin, 'trivy'),
      `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Version: 0.69.3"; exit 0; fi\necho "$*|$TRIVY_USERNAME|$TRIVY_PASSWORD" > '${seen}'\necho '{}'\n`,
    );
    chmodSync(join(bin, 'trivy'), 0o755);
    const [run] = await runScanners(['trivy'], '127.0.0.1:5000/example/app:1.0', {
      path: bin,
      registry: { insecure: true, credentials: { username: 'ci', password: 's3cret' } },
    });
    expect(run!.scanner).toMatchObject({ name: 'trivy', status: 'COMPLETED', version: '0.69.3' });
    const [args, user, password] = readFileSync(seen, 'utf8').trim().split('|');
    expect(args).toBe('image --image-src remote --insecure 127.0.0.1:5000/example/app:1.0 --format json --list-all-pkgs --quiet');
    expect([user, password]).toEqual(['ci', 's3cret']);
  });

  it('keeps the highest severity and CVSS across scanners, in a deterministic order', () => {
    const base = { package: 'bsdutils', version: '1:2.38.1-5+b1', fixedVersion: null };
    const merged = mergeVulnerabilities([
      [{ ...base, id: 'CVE-2024-28085', severity: 'INFO', scanner: 'grype', sources: ['CVE-2024-28085'] }],
      [
        {
          ...base,
          id: 'DEBIAN-CVE-2024-28085',
          aliases: ['CVE-2024-28085'],
          severity: 'LOW',
          cvss: 5.5,
          fixedVersion: '2.38.1-5+deb12u1',
          scanner: 'harborguard',
          sources: ['DEBIAN-CVE-2024-28085'],
        },
      ],
      [{ ...base, version: '2.38.1-5', id: 'CVE-2024-28085', severity: 'MEDIUM', scanner: 'trivy' }],
    ]);
    expect(merged).toEqual([
      {
        package: 'bsdutils',
        version: '1:2.38.1-5+b1',
        id: 'CVE-2024-28085',
        cveId: 'CVE-2024-28085',
        aliases: ['DEBIAN-CVE-2024-28085'],
        severity: 'LOW',
        cvss: 5.5,
        fixedVersion: '2.38.1-5+deb12u1',
        scanner: 'harborguard',
        sources: ['CVE-2024-28085', 'DEBIAN-CVE-2024-28085', 'grype', 'harborguard'],
      },
      {
        package: 'bsdutils',
        version: '2.38.1-5',
        id: 'CVE-2024-28085',
        cveId: 'CVE-2024-28085',
        severity: 'MEDIUM',
        fixedVersion: null,
        scanner: 'trivy',
        sources: ['trivy'],
      },
    ]);
    expect(mergeVulnerabilities([merged.slice().reverse()])).toEqual(merged);
  });
});

// A stand-in that records its arguments and whether the file after `--source docker-archive` or
// `--archive` existed while it ran, then answers with an empty result (to --json's file for dive).
function recordingTool(dir: string, name: string, seen: string): void {
  writeFileSync(
    join(dir, name),
    `#!/bin/sh
if [ "$1" = "--version" ]; then echo "${name} version: 1.0.0"; exit 0; fi
echo "$*" > '${seen}'
prev=''; for a in "$@"; do
  case "$prev" in docker-archive|--archive) if [ -f "$a" ]; then echo present >> '${seen}'; fi;; --json) echo '{}' > "$a";; esac
  prev="$a"
done
echo '{}'
`,
  );
  chmodSync(join(dir, name), 0o755);
}

const registrySkip = missingTools('docker-registry', 'skopeo');
describe.skipIf(registrySkip)(`tools that cannot pull from a registry${registrySkip ? ` (skipped: ${registrySkip})` : ''}`, () => {
  let registry: LocalRegistry;
  const bin = join(work, 'bin-local-copy');
  const seen = (tool: string): string => join(work, `seen-${tool}.txt`);
  const scratch = (name: string): string => {
    const dir = join(work, 'scratch', name);
    mkdirSync(dir, { recursive: true });
    vi.stubEnv('TMPDIR', dir);
    return dir;
  };
  const copies = (dir: string): string[] => readdirSync(dir).filter((name) => name.startsWith('hg-image-'));

  beforeAll(async () => {
    registry = await startRegistry();
    const layer = (name: string) => [{ name, content: name.repeat(200) }];
    push(await writeOciLayout(join(work, 'two-layers'), { layers: [layer('a'), layer('b')] }), registry.host, 'example/app:1');
    mkdirSync(bin, { recursive: true });
    recordingTool(bin, 'dive', seen('dive'));
    recordingTool(bin, 'osv-scanner', seen('osv'));
    recordingTool(bin, 'trivy', seen('trivy'));
  }, 60_000);
  afterAll(async () => {
    vi.unstubAllEnvs();
    await registry?.stop();
  });

  it('copies the image once into a docker-archive under TMPDIR for dive and osv-scanner, and removes it after', async () => {
    const counting = await startTokenProxy({ upstream: registry.host });
    const dir = scratch('copy');
    try {
      const runs = await runScanners(['harborguard', 'dive', 'trivy', 'osv'], `${counting.host}/example/app:1`, { path: bin, registry: { insecure: true } });
      expect(runs.map((r) => [r.scanner.name, r.scanner.status, r.scanner.error])).toEqual([
        ['dive', 'COMPLETED', undefined],
        ['trivy', 'COMPLETED', undefined],
        ['osv', 'COMPLETED', undefined],
      ]);
      const [dive, divePresent] = readFileSync(seen('dive'), 'utf8').trim().split('\n');
      const [osv, osvPresent] = readFileSync(seen('osv'), 'utf8').trim().split('\n');
      const archive = /^--source docker-archive (\S+) --json \S+\/out\.json$/.exec(dive!)?.[1];
      expect(archive).toMatch(new RegExp(`^${dir}/hg-image-[^/]+/image\\.tar$`));
      expect(osv).toBe(`scan image --archive ${archive} --format json`);
      expect([divePresent, osvPresent]).toEqual(['present', 'present']);
      // trivy pulls by itself: it still gets the reference.
      expect(readFileSync(seen('trivy'), 'utf8')).toMatch(new RegExp(`--image-src remote --insecure ${counting.host}/example/app:1 `));
      // One copy for both tools: each blob (config and two layers) fetched once; none left behind.
      const blobs = counting.requests.filter((r) => r.path.includes('/blobs/') && r.authorization).map((r) => r.path);
      expect(blobs).toHaveLength(3);
      expect(new Set(blobs).size).toBe(3);
      expect(existsSync(archive!)).toBe(false);
      expect(copies(dir)).toEqual([]);
    } finally {
      await counting.stop();
    }
  });

  it('under an egress policy, gives every tool the copy pulled through the policy, so none dials the registry itself', async () => {
    const dir = scratch('egress');
    const runs = await runScanners(['trivy', 'dive'], `${registry.host}/example/app:1`, {
      path: bin,
      registry: { insecure: true, egress: egressPolicy('127.0.0.1/32') },
    });
    expect(runs.map((r) => r.scanner.status)).toEqual(['COMPLETED', 'COMPLETED']);
    const trivy = readFileSync(seen('trivy'), 'utf8');
    expect(trivy).not.toContain(registry.host);
    expect(trivy).toMatch(new RegExp(`--input ${dir}/hg-image-[^/]+/image\\.tar`));
    // And the copy itself is bound by the policy: a registry outside it is refused for every tool.
    const refused = await runScanners(['trivy'], `${registry.host}/example/app:1`, { path: bin, registry: { insecure: true, egress: egressPolicy() } });
    expect(refused[0]!.scanner).toMatchObject({ status: 'FAILED', error: expect.stringMatching(/loopback address, not allowed by the egress policy/) });
  });

  it("fails those tools with the copy's reason when the copy fails, and copies nothing for a tool that is absent", async () => {
    const lying = await startTokenProxy({ upstream: registry.host, corruptBlobs: true });
    const dir = scratch('failed');
    try {
      for (const tool of ['dive', 'osv']) writeFileSync(seen(tool), '');
      const runs = await runScanners(['dive', 'osv'], `${lying.host}/example/app:1`, { path: bin, registry: { insecure: true } });
      expect(runs.map((r) => [r.scanner.name, r.scanner.status, r.scanner.error])).toEqual([
        [
          'dive',
          'FAILED',
          expect.stringMatching(/^could not copy the image to a local docker-archive for dive: image config digest mismatch: expected sha256:/),
        ],
        ['osv', 'FAILED', expect.stringMatching(/^could not copy the image to a local docker-archive for osv-scanner: image config digest mismatch/)],
      ]);
      // The tools never ran, the registry was asked for the config once, and nothing is left in TMPDIR.
      expect([readFileSync(seen('dive'), 'utf8'), readFileSync(seen('osv'), 'utf8')]).toEqual(['', '']);
      expect(lying.requests.filter((r) => r.path.includes('/blobs/') && r.authorization)).toHaveLength(1);
      expect(copies(dir)).toEqual([]);

      const before = lying.requests.length;
      const absent = await runScanners(['dive', 'osv'], `${lying.host}/example/app:1`, { path: join(work, 'empty-bin'), registry: { insecure: true } });
      expect(absent.map((r) => [r.scanner.name, r.scanner.status])).toEqual([
        ['dive', 'UNAVAILABLE'],
        ['osv', 'UNAVAILABLE'],
      ]);
      expect(lying.requests.length).toBe(before);
    } finally {
      await lying.stop();
    }
  });
});

describe.skipIf(trivySkipReason)(`real trivy${trivySkipReason ? ` — skipped: ${trivySkipReason}` : ''}`, () => {
  it("lists an OCI image's packages offline, read through the adapter", async () => {
    const bin = trivyBinDir(work);
    const source = await writeOciLayout(join(work, 'oci'), debianNpmImage);
    for (const [name, value] of Object.entries(offlineTrivyEnv(join(work, 'trivy-cache')))) vi.stubEnv(name, value);
    try {
      const [run] = await runScanners(['trivy'], source, { path: bin });
      expect(run!.scanner.error).toBeUndefined();
      expect(run!.output!.packages.map((p) => [p.type, p.name, p.version, p.sourceName ?? null]).sort()).toEqual([
        ['deb', 'bsdutils', '1:2.38.1-5+b1', 'util-linux'],
        ['npm', 'lodash', '4.17.15', null],
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
  }, 120_000);
});
