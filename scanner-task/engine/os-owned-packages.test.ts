// The OS-owned language package on real data: this machine's Debian python3-requests (dpkg's own
// status, file lists and egg-info) and GitHub's real advisory for requests, whose range holds
// Debian's upstream version. Debian's copy is matched through python3-requests, not PyPI, and
// says so; the same metadata under /usr/local, owned by no package, is matched against PyPI.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanEnvelopeSchema, type ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { buildSnapshot } from '../match/build-snapshot.ts';
import { debianRequestsMissing, writeDebianRequestsImage, type DebianRequestsImage } from '../testing/debian-requests-image.ts';
import { harborguard } from '../testing/run-cli.ts';

const skip = debianRequestsMissing();
const ADVISORY = 'GHSA-j8r2-6x86-q33q';
// The finding is filed under the advisory's CVE, the GHSA record its source.
const fromAdvisory = (v: ScanEnvelope['vulnerabilities'][number]): boolean => v.sources?.includes(ADVISORY) === true;

describe.skipIf(skip)(`a Python package Debian installed${skip ? ` (skipped: ${skip})` : ''}`, () => {
  let work: string;
  let image: DebianRequestsImage;
  let envelope: ScanEnvelope;
  let table: string;
  let bom: {
    components: Array<{
      name: string;
      properties?: Array<{ name: string; value: string }>;
      components?: Array<{ name: string; properties?: Array<{ name: string; value: string }> }>;
    }>;
  };
  let spdx: { packages: Array<{ name: string; comment?: string }> };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'hg-os-owned-'));
    image = await writeDebianRequestsImage(join(work, 'oci'));
    const db = join(work, 'advisories.db');
    await buildSnapshot({ from: [join(import.meta.dirname, 'testdata', 'os-owned')], output: db });
    const runs = await Promise.all(
      ['envelope', 'table', 'cyclonedx', 'spdx'].map((format) => harborguard(['scan', image.source, '--db', db, '--format', format])),
    );
    for (const run of runs) expect(run.status, run.stderr).toBe(0);
    envelope = scanEnvelopeSchema.parse(JSON.parse(runs[0]!.stdout));
    table = runs[1]!.stdout;
    bom = JSON.parse(runs[2]!.stdout) as typeof bom;
    spdx = JSON.parse(runs[3]!.stdout) as typeof spdx;
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it("is matched through its Debian package, not PyPI's advisory, and says why", () => {
    // The advisory's range must hold the version, or the absence below would prove nothing.
    expect(image.version).toMatch(/^2\.(?:[3-9]|[12]\d|30)\./);
    const debian = envelope.packages.find((p) => p.type === 'pypi' && p.location === image.debianMetadata);
    expect(debian?.ownedBy).toMatch(/^pkg:deb\/debian\/python3-requests@/);
    expect(debian?.matchedVia).toEqual({
      type: 'deb',
      name: 'python3-requests',
      reason: expect.stringContaining('installed by the deb package python3-requests'),
    });
    expect(envelope.vulnerabilities.filter(fromAdvisory).map((v) => v.purl)).toEqual([`pkg:pypi/requests@${image.version}`]);
    expect(envelope.packages.some((p) => p.type === 'deb' && p.name === 'python3-requests')).toBe(true);
    // This snapshot has no Debian advisories: the warning must say the owned copy went unmatched too.
    expect(envelope.warnings).toContainEqual(
      expect.stringMatching(/^deb packages \(nor the 1 language package they installed\) not matched: the snapshot has no advisories for debian /),
    );
  });

  it('matches the copy no package manager owns against PyPI', () => {
    const pip = envelope.packages.find((p) => p.type === 'pypi' && p.location === image.pipMetadata);
    expect(pip).toMatchObject({ name: 'requests', version: image.version });
    expect(pip?.ownedBy).toBeUndefined();
    expect(pip?.matchedVia).toBeUndefined();
    const layerOfPip = envelope.layers[1]!.digest;
    expect(envelope.vulnerabilities.filter(fromAdvisory).map((v) => v.layerDigest)).toEqual([layerOfPip]);
  });

  it('keeps both copies in the table and the SBOM, the owned one saying through what it is matched', () => {
    expect(table).toMatch(
      new RegExp(`pypi\\s+requests \\(via deb python3-requests\\)\\s+${image.version.replace(/\./g, '\\.')}\\s+1\\s+${image.debianMetadata}`),
    );
    expect(table).toMatch(new RegExp(`pypi\\s+requests\\s+${image.version.replace(/\./g, '\\.')}\\s+2\\s+${image.pipMetadata}`));
    const owner = bom.components.find((c) => c.name === 'python3-requests');
    const nested = owner?.components?.find((c) => c.name === 'requests');
    expect(nested?.properties).toContainEqual({ name: 'harborguard:package:matched_via', value: expect.stringContaining('python3-requests') });
    expect(bom.components.filter((c) => c.name === 'requests')).toHaveLength(1);
    expect(spdx.packages.filter((p) => p.name === 'requests').map((p) => p.comment?.includes('installed by the deb package python3-requests'))).toEqual([
      true,
      false,
    ]);
  });
});
