// Re-matching a stored inventory against real snapshots (written by the scanner task's snapshot
// writer, read by the same reader scans use): a new advisory becomes a new finding, a withdrawn one
// resolves it, the same snapshot or the same findings change nothing, and what it produces is a
// valid envelope keeping other scanners' findings as they were.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanEnvelopeSchema } from '#shared/envelope/envelope-schema.ts';
import { loadSnapshot, type AdvisorySnapshot } from '#shared/matching/snapshot-reader.ts';
import { writeAdvisorySnapshots } from '../../../scanner-task/testing/advisory-snapshots.ts';
import { buildFindings } from '../findings/build-findings.ts';
import type { Finding } from '../findings/finding.ts';
import type { Scan } from '../scans/scan.ts';
import { rematch, type RematchBase } from './rematch.ts';

const opened: AdvisorySnapshot[] = [];
const identity = (s: AdvisorySnapshot) => {
  const { builtAt, contentHash, advisories } = s.header;
  return { builtAt, contentHash, advisories };
};

let v1: AdvisorySnapshot;
let v2: AdvisorySnapshot;
let v3: AdvisorySnapshot;
let v4: AdvisorySnapshot;
let v5: AdvisorySnapshot;
beforeAll(async () => {
  const paths = await writeAdvisorySnapshots(mkdtempSync(join(tmpdir(), 'hg-rematch-')));
  [v1, v2, v3, v4, v5] = [
    await loadSnapshot(paths.v1),
    await loadSnapshot(paths.v2),
    await loadSnapshot(paths.v3),
    await loadSnapshot(paths.v4),
    await loadSnapshot(paths.v5),
  ];
  opened.push(v1, v2, v3, v4, v5);
});
afterAll(() => opened.forEach((s) => s.close()));

const otherScanners: Finding[] = buildFindings(
  'scn-base0001',
  [{ id: 'CVE-2020-1111', severity: 'LOW', package: 'zlib', version: '1.2.11', scanner: 'trivy' }],
  '2026-11-30T00:00:00.000Z',
);

function baseOn(s: AdvisorySnapshot, findings: Finding[]): RematchBase {
  const scan = {
    id: 'scn-base0001',
    orgId: 'org-1',
    tagId: 'tag-1',
    image: { name: 'registry.example.com/acme/app', tag: '1.0', digest: `sha256:${'b'.repeat(64)}` },
    status: 'COMPLETE',
    scanners: ['harborguard', 'trivy'],
    compliance: 'A',
    riskScore: 0,
    duration: 1000,
    scannedAt: '2026-11-30T00:00:00.000Z',
    requestedAt: '2026-11-30T00:00:00.000Z',
    updatedAt: '2026-11-30T00:00:00.000Z',
    source: 'api',
    matching: { status: 'MATCHED', snapshot: identity(s) },
  } satisfies Scan;
  return {
    scan,
    findings,
    artifacts: {
      packages: [
        { name: 'lodash', version: '4.17.15', type: 'npm', purl: 'pkg:npm/lodash@4.17.15', location: 'app/node_modules/lodash/package.json' },
        { name: 'zlib', version: '1.2.11', type: 'generic', purl: 'pkg:generic/zlib@1.2.11' },
      ],
      layers: [{ digest: `sha256:${'c'.repeat(64)}`, size: 10 }],
      checks: [],
      scanners: [
        { name: 'harborguard', status: 'COMPLETED' },
        { name: 'trivy', status: 'COMPLETED' },
      ],
      warnings: [],
    },
  };
}

describe('rematch', () => {
  it('changes nothing against the snapshot the scan was matched with', () => {
    expect(rematch(baseOn(v1, otherScanners), v1, identity(v1), 'scn-new00001', new Date())).toEqual({ changed: false, reason: 'same-snapshot' });
  });

  it('finds what a new advisory adds, as the envelope of a new scan that keeps the other scanners’ findings', () => {
    const outcome = rematch(baseOn(v1, otherScanners), v2, identity(v2), 'scn-new00001', new Date('2026-12-02T01:00:00Z'));
    if (!outcome.changed) throw new Error(`expected a change, got ${outcome.reason}`);
    expect(outcome.added.map((f) => [f.cveId, f.package, f.version])).toEqual([['CVE-2021-23337', 'lodash', '4.17.15']]);
    expect(outcome.resolved).toEqual([]);
    expect(scanEnvelopeSchema.safeParse(outcome.envelope).error?.issues ?? []).toEqual([]);
    expect(outcome.envelope).toMatchObject({
      scan: { id: 'scn-new00001', finishedAt: '2026-12-02T01:00:00.000Z' },
      image: { name: 'registry.example.com/acme/app', tag: '1.0' },
      matching: { status: 'MATCHED', snapshot: { contentHash: v2.header.contentHash } },
    });
    expect(outcome.envelope.vulnerabilities.map((v) => [v.scanner, v.package]).sort()).toEqual([
      ['harborguard', 'lodash'],
      ['trivy', 'zlib'],
    ]);
  });

  it('resolves a finding whose advisory was withdrawn, and changes nothing when only the snapshot moved', () => {
    const found = rematch(baseOn(v1, otherScanners), v2, identity(v2), 'scn-new00001', new Date());
    if (!found.changed) throw new Error('expected a change');
    const afterV2 = baseOn(v2, [...otherScanners, ...found.added]);
    const withdrawn = rematch(afterV2, v3, identity(v3), 'scn-new00002', new Date());
    if (!withdrawn.changed) throw new Error(`expected a change, got ${withdrawn.reason}`);
    expect(withdrawn.resolved.map((f) => f.cveId)).toEqual(['CVE-2021-23337']);
    expect(withdrawn.envelope.vulnerabilities.map((v) => v.package)).toEqual(['zlib']);
    // A withdrawn record is left out of the snapshot: v3 is v1's content, so the same snapshot.
    expect(v3.header.contentHash).toBe(v1.header.contentHash);
    // v4 has other advisories, none for this image: a new snapshot, the same findings, nothing to write.
    expect(v4.header.contentHash).not.toBe(v1.header.contentHash);
    expect(rematch(baseOn(v3, otherScanners), v4, identity(v4), 'scn-new00003', new Date())).toEqual({ changed: false, reason: 'same-findings' });
  });

  it('sees a finding that stays but is now known to be exploited as a change', () => {
    const found = rematch(baseOn(v1, otherScanners), v2, identity(v2), 'scn-new00001', new Date());
    if (!found.changed) throw new Error('expected a change');
    expect(found.added[0]!.knownExploited).toBeFalsy();
    const kev = rematch(baseOn(v2, [...otherScanners, ...found.added]), v5, identity(v5), 'scn-new00004', new Date());
    if (!kev.changed) throw new Error(`expected a change, got ${kev.reason}`);
    expect([kev.added, kev.resolved]).toEqual([[], []]);
    expect(kev.updated.map((f) => [f.cveId, f.knownExploited])).toEqual([['CVE-2021-23337', true]]);
    expect(kev.envelope.vulnerabilities.find((v) => v.package === 'lodash')).toMatchObject({ knownExploited: true });
  });
});
