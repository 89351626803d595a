// Oracle test on real data: the host's Debian database, Python metadata, npm packages, jars and a Go
// binary, packed by umoci/skopeo into every local format. The engine must agree with dpkg-query and
// npm ls on the same root, and every format must give the same inventory.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openImage } from '../image/open-image.ts';
import { ensureHostFixture, HOST_FIXTURE_TOOLS, hostFixture } from '../testing/host-fixture.ts';
import { missingTools } from '../testing/tools.ts';
import { scanImage, type ImageScan } from './scan-image.ts';

const skip = missingTools(...HOST_FIXTURE_TOOLS);

interface NpmLsNode {
  version?: string;
  missing?: boolean;
  dependencies?: Record<string, NpmLsNode>;
}

function flattenNpmLs(node: NpmLsNode, into = new Set<string>()): Set<string> {
  for (const [name, child] of Object.entries(node.dependencies ?? {})) {
    if (child.missing || !child.version) continue;
    into.add(`${name}@${child.version}`);
    flattenNpmLs(child, into);
  }
  return into;
}

const inventory = (scan: ImageScan): string[] => scan.packages.map((p) => `${p.purl} ${p.location} ${p.layerIndex} ${p.ownedBy ?? ''}`).sort();

describe.skipIf(skip)(`host image oracles${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let scan: ImageScan;
  beforeAll(async () => {
    ensureHostFixture();
    scan = await scanImage(await openImage(`oci:${hostFixture.oci}:app`));
  }, 120_000);

  it('finds exactly the installed packages dpkg-query reports, with sources', () => {
    const oracle = readFileSync(hostFixture.dpkgOracle, 'utf8')
      .trim()
      .split('\n')
      .map((line) => line.split('\t'))
      .filter(([status]) => status!.trim() === 'ii')
      .map(([, name, version, arch, sourceName, sourceVersion]) => `${name} ${version} ${arch} ${sourceName} ${sourceVersion}`)
      .sort();
    const found = scan.packages
      .filter((p) => p.type === 'deb')
      .map((p) => `${p.name} ${p.version} ${p.arch} ${p.sourceName} ${p.sourceVersion}`)
      .sort();
    expect(found).toEqual(oracle);
    expect(oracle.length).toBeGreaterThan(50);
  });

  it("takes Debian licences from the packages' copyright files", () => {
    const debs = scan.packages.filter((p) => p.type === 'deb');
    const withLicences = debs.filter((p) => p.licenses.length > 0);
    // The rest have their doc directory as a symlink to another package's, which is never followed.
    expect(withLicences.length / debs.length).toBeGreaterThan(0.7);
    expect(debs.find((p) => p.name === 'bash')?.licenses).toContain('GPL-3+');
  });

  it('attributes the Python Debian packages to the layer that installed them', () => {
    const debs = scan.packages.filter((p) => p.type === 'deb');
    for (const p of debs) expect(p.layerIndex, p.name).toBe(p.name.startsWith('python3-') ? 1 : 0);
    expect(new Set(debs.map((p) => p.layerDigest))).toEqual(
      new Set([scan.layers[0]!.digest, scan.layers[1]!.digest].filter((d) => debs.some((p) => p.layerDigest === d))),
    );
  });

  it('finds exactly the npm packages npm ls reports', () => {
    const oracle = flattenNpmLs(JSON.parse(readFileSync(hostFixture.npmOracle, 'utf8')) as NpmLsNode);
    const found = new Set(scan.packages.filter((p) => p.type === 'npm').map((p) => `${p.name}@${p.version}`));
    expect([...found].sort()).toEqual([...oracle].sort());
  });

  it('ties Python metadata to the Debian package that installed it', () => {
    const python = scan.packages.filter((p) => p.type === 'pypi');
    expect(python.length).toBeGreaterThan(5);
    const owned = python.filter((p) => p.ownedBy);
    expect(owned.length).toBeGreaterThan(0);
    for (const p of owned) expect(scan.packages.some((d) => d.type === 'deb' && d.purl === p.ownedBy)).toBe(true);
  });

  it('reads Go build info as `go version -m` does, and ignores executables without it', () => {
    const lines = readFileSync(hostFixture.goOracle, 'utf8').split('\n');
    const goVersion = lines[0]!.split(': ')[1]!.trim();
    const modules = lines
      .map((l) => l.split('\t'))
      .filter(([, kind]) => kind === 'mod' || kind === 'dep')
      .map(([, , path, version]) => `${path}@${version}`);
    const found = scan.packages.filter((p) => p.type === 'golang');
    expect(found.every((p) => p.location === 'usr/local/bin/hello')).toBe(true);
    expect(found.map((p) => `${p.name}@${p.version}`).sort()).toEqual([`stdlib@${goVersion.replace(/^go/, 'v')}`, ...modules].sort());
  });

  it('reads Maven coordinates from jars, nested ones included, as unzip shows them', () => {
    const expected: string[] = [];
    const tmp = mkdtempSync(join(tmpdir(), 'hg-jar-'));
    const coordinates = (jar: string, location: string): void => {
      for (const entry of execFileSync('unzip', ['-Z1', jar], { encoding: 'utf8' }).split('\n')) {
        if (/^META-INF\/maven\/.+\/pom\.properties$/.test(entry)) {
          const props = Object.fromEntries(
            execFileSync('unzip', ['-p', jar, entry], { encoding: 'utf8' })
              .split('\n')
              .filter((l) => l.includes('='))
              .map((l) => l.trim().split('=')),
          );
          expected.push(`${props.groupId}:${props.artifactId}@${props.version} ${location}`);
        } else if (entry.endsWith('.jar')) {
          const inner = join(tmp, `${expected.length}-${entry.replace(/\//g, '_')}`);
          writeFileSync(inner, execFileSync('unzip', ['-p', jar, entry], { maxBuffer: 1024 ** 3 }));
          coordinates(inner, `${location}!/${entry}`);
        }
      }
    };
    const javaDir = join(hostFixture.roots, 'layer3/opt/java');
    for (const jar of readdirSync(javaDir)) coordinates(join(javaDir, jar), `opt/java/${jar}`);
    // bundle.jar has no pom.properties: its MANIFEST.MF names it.
    expected.push('bundle@0.1 opt/java/bundle.jar');
    const found = scan.packages.filter((p) => p.type === 'maven').map((p) => `${p.name}@${p.version} ${p.location}`);
    expect(found.sort()).toEqual(expected.sort());
    expect(scan.packages.find((p) => p.location === 'opt/java/bundle.jar!/lib/commons-cli.jar')?.purl).toMatch(/^pkg:maven\/commons-cli\/commons-cli@/);
  });

  it('applies the whiteout', () => {
    expect(scan.filesystem.files.has('opt/remove-me/secret.txt')).toBe(false);
    expect(scan.filesystem.changes[2]!.filesRemoved).toBeGreaterThan(0);
  });

  it('gives the same inventory from every local format', async () => {
    const expected = inventory(scan);
    for (const source of [
      `oci:${hostFixture.ociZstd}:app`,
      `oci-archive:${hostFixture.ociArchive}:app`,
      `docker-archive:${hostFixture.dockerArchive}`,
      `docker-archive:${hostFixture.docker25Archive}`,
    ]) {
      const other = await scanImage(await openImage(source));
      // Layer digests differ between compressions; what the image contains must not.
      expect(inventory(other), source).toEqual(expected);
    }
  }, 60_000);
});
