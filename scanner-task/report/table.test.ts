// The table's findings read worst first, then by package and id, whatever the reader's locale.
// The findings are written by hand (matching is tested elsewhere); the scan around them is real.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnvelopeVulnerability, Severity } from '#shared/envelope/envelope-schema.ts';
import { runScan } from '../engine/run-scan.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import type { ScanReport } from './scan-report.ts';
import { toTable } from './table.ts';

const finding = (severity: Severity, pkg: string, id: string): EnvelopeVulnerability => ({ severity, package: pkg, id, version: '1.0' });

// In neither package order nor id order; "aalib" is where a Danish collation differs.
const FINDINGS = [
  finding('LOW', 'aalib', 'CVE-2024-0005'),
  finding('CRITICAL', 'zlib', 'CVE-2024-0001'),
  finding('HIGH', 'aalib', 'CVE-2024-0003'),
  finding('CRITICAL', 'aalib', 'CVE-2024-0009'),
  finding('INFO', 'apk-tools', 'CVE-2024-0002'),
  finding('CRITICAL', 'zlib', 'CVE-2023-0001'),
  finding('MEDIUM', 'Bash', 'CVE-2024-0004'),
  finding('HIGH', 'bash', 'CVE-2024-0006'),
];

const EXPECTED = [
  ['CRITICAL', 'CVE-2024-0009', 'aalib'],
  ['CRITICAL', 'CVE-2023-0001', 'zlib'],
  ['CRITICAL', 'CVE-2024-0001', 'zlib'],
  ['HIGH', 'CVE-2024-0003', 'aalib'],
  ['HIGH', 'CVE-2024-0006', 'bash'],
  ['MEDIUM', 'CVE-2024-0004', 'Bash'],
  ['LOW', 'CVE-2024-0005', 'aalib'],
  ['INFO', 'CVE-2024-0002', 'apk-tools'],
];

const rowsOf = (table: string): string[][] =>
  table
    .split('\n\n')
    .find((block) => block.startsWith('Vulnerabilities'))!
    .split('\n')
    .slice(2)
    .map((line) => line.split(/\s+/).slice(0, 3));

const dir = mkdtempSync(join(tmpdir(), 'hg-table-'));
let report: ScanReport;
beforeAll(async () => {
  const source = await writeOciLayout(join(dir, 'image'), {
    layers: [
      [
        { name: 'etc/os-release', content: 'ID=alpine\nVERSION_ID=3.19.1\n' },
        { name: 'lib/apk/db/installed', content: 'P:zlib\nV:1.0\nA:x86_64\n\n' },
      ],
    ],
  });
  report = { ...(await runScan(source)), vulnerabilities: FINDINGS };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('table', () => {
  it('lists findings by severity, then package, then id', () => {
    expect(rowsOf(toTable(report))).toEqual(EXPECTED);
  });

  // Node takes its default collation from LANG, so the order must not come from there.
  it('prints the same order under another locale', () => {
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { toTable } from ${JSON.stringify(join(import.meta.dirname, 'table.ts'))}; process.stdout.write(toTable(JSON.parse(process.argv[1])));`,
        JSON.stringify(report),
      ],
      { env: { ...process.env, LANG: 'da_DK.UTF-8', LC_ALL: 'da_DK.UTF-8' }, encoding: 'utf8' },
    );
    expect(child.stderr).toBe('');
    expect(rowsOf(child.stdout)).toEqual(EXPECTED);
  });
});
