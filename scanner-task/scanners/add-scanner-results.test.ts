// The engine's report of a real (in-process) image, folded together with recorded tool outputs:
// what the envelope then says about vulnerabilities, packages, checks and the scanners.
import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runScan } from '../engine/run-scan.ts';
import { toEnvelope } from '../report/envelope.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { parseFixture } from './adapter-harness.ts';
import { addScannerResults } from './add-scanner-results.ts';
import { parseDockle } from './dockle/adapter.ts';
import { parseGrype } from './grype/adapter.ts';
import type { ScannerRun } from './run-scanners.ts';
import { parseSyft } from './syft/adapter.ts';
import { parseTrivy } from './trivy/adapter.ts';

const work = mkdtempSync(join(tmpdir(), 'hg-add-results-'));
afterAll(() => rm(work, { recursive: true, force: true }));
const recorded = (tool: string, file: string, parse: Parameters<typeof parseFixture>[1]) =>
  parseFixture(new URL(`./${tool}/testdata/${file}`, import.meta.url), parse);

describe('addScannerResults', () => {
  it('merges findings across scanners, adds only new packages, keeps each check at its worst level', async () => {
    const source = await writeOciLayout(join(work, 'oci'), {
      config: { config: { User: 'app' } },
      layers: [
        [
          { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
          {
            name: 'var/lib/dpkg/status',
            content:
              'Package: bsdutils\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:2.38.1-5+b1\nSource: util-linux (2.38.1-5)\nDescription: x\n',
          },
        ],
        [{ name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) }],
      ],
    });
    const report = await runScan(source);
    expect(report.checks.find((c) => c.id === 'CIS-DI-0001')?.level).toBe('PASS');
    const syft = recorded('syft', 'image-debian-npm.json', parseSyft);
    const runs: ScannerRun[] = [
      { scanner: { name: 'trivy', version: '0.69.3', status: 'COMPLETED', durationMs: 1200 }, output: recorded('trivy', 'image-debian-npm.json', parseTrivy) },
      { scanner: { name: 'grype', version: '0.110.0', status: 'COMPLETED', durationMs: 900 }, output: recorded('grype', 'image-debian-npm.json', parseGrype) },
      {
        scanner: { name: 'syft', version: '1.42.3', status: 'COMPLETED', durationMs: 300 },
        output: {
          ...syft,
          packages: [
            ...syft.packages,
            { name: 'zlib1g', version: '1:1.2.13.dfsg-1', type: 'deb' },
            { name: 'bsdutils', version: '1:2.38.1-5+b1', type: 'unknown' },
          ],
        },
      },
      { scanner: { name: 'dockle', version: '0.4.15', status: 'COMPLETED', durationMs: 200 }, output: recorded('dockle', 'image.json', parseDockle) },
      { scanner: { name: 'dive', status: 'UNAVAILABLE', error: 'dive is not installed in this runtime (not found on PATH)' } },
    ];
    const merged = addScannerResults(report, runs);

    // One finding per vulnerability and package, whoever reported it and under whichever alias.
    expect(merged.vulnerabilities!.map((v) => [v.id, v.package, v.sources?.filter((s) => !s.includes('-'))])).toEqual([
      ['CVE-2024-28085', 'bsdutils', ['grype', 'trivy']],
      ['CVE-2020-8203', 'lodash', ['trivy']],
      ['CVE-2021-23337', 'lodash', ['grype', 'trivy']],
    ]);
    // dockle's FATAL and WARN outrank the engine's verdicts on the same CIS ids; the grade follows.
    const levels = Object.fromEntries(merged.checks.map((c) => [c.id, c.level]));
    expect(levels).toMatchObject({ 'CIS-DI-0010': 'FATAL', 'CIS-DI-0001': 'WARN', 'DKL-LI-0003': 'PASS' });
    expect(merged.checks.filter((c) => c.id === 'CIS-DI-0001')).toHaveLength(1);
    expect(report.compliance.grade).not.toBe('F');
    expect(merged.compliance.grade).toBe('F');

    const envelope = toEnvelope(merged, 'scn-merged1');
    expect(envelope.scanners.map((s) => [s.name, s.status, s.error ?? null])).toEqual([
      ['harborguard', 'COMPLETED', null],
      ['trivy', 'COMPLETED', null],
      ['grype', 'COMPLETED', null],
      ['syft', 'COMPLETED', null],
      ['dockle', 'COMPLETED', null],
      ['dive', 'UNAVAILABLE', 'dive is not installed in this runtime (not found on PATH)'],
    ]);
    // The engine's bsdutils and lodash stay as the engine placed them (an untyped bsdutils of the
    // same version is the same package); only zlib1g is new.
    expect(envelope.packages.map((p) => `${p.type}:${p.name}@${p.version}`).sort()).toEqual([
      'deb:bsdutils@1:2.38.1-5+b1',
      'deb:zlib1g@1:1.2.13.dfsg-1',
      'npm:lodash@4.17.15',
    ]);
    expect(envelope.packages.find((p) => p.name === 'lodash')?.location).toBe('app/node_modules/lodash/package.json');
  });

  it('leaves "no vulnerability data" as it was when no scanner reported vulnerabilities', async () => {
    const report = await runScan(await writeOciLayout(join(work, 'empty'), { layers: [[{ name: 'etc/os-release', content: 'ID=debian\n' }]] }));
    const merged = addScannerResults(report, [
      { scanner: { name: 'trivy', status: 'UNAVAILABLE', error: 'trivy is not installed in this runtime (not found on PATH)' } },
    ]);
    expect(merged.vulnerabilities).toBeUndefined();
    expect(merged.compliance).toEqual(report.compliance);
    // The engine alone (--scanners harborguard) leaves the report exactly as it was.
    expect(addScannerResults(report, [])).toBe(report);
  });
});
