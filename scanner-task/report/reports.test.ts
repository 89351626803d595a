// Every report format from one real scan: CycloneDX 1.6 and SPDX 2.3 validated against their official
// JSON schemas (shared/sbom/testdata/schema-validators.ts), the envelope
// against the shared zod schema.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanEnvelopeSchema } from '#shared/envelope/envelope-schema.ts';
import { toCycloneDx } from '#shared/sbom/cyclonedx.ts';
import { toSpdx } from '#shared/sbom/spdx.ts';
import { cycloneDx16Validator, spdx23Validator } from '#shared/sbom/testdata/schema-validators.ts';
import { runScan } from '../engine/run-scan.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { toEnvelope } from './envelope.ts';
import { sbomSourceOf } from './sbom.ts';
import type { ScanReport } from './scan-report.ts';
import { toTable } from './table.ts';

let report: ScanReport;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hg-report-'));
  const status = readFileSync('/var/lib/dpkg/status', 'utf8').split(/\n\n+/).slice(0, 40).join('\n\n');
  const source = await writeOciLayout(dir, {
    config: { config: { User: 'root', Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2'] } },
    history: [
      { created_by: 'ADD https://example.com/x.tgz /x' },
      { created_by: 'RUN npm install', created: '2026-01-02T03:04:05.123456789Z' },
      { created_by: 'CMD ["node"]', empty_layer: true },
    ],
    layers: [
      [
        { name: 'etc/os-release', content: readFileSync('/etc/os-release') },
        { name: 'var/lib/dpkg/status', content: status },
        { name: 'usr/bin/sudo', content: 'x', mode: 0o4755 },
        { name: 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA', content: 'Name: PyYAML\nVersion: 6.0\nLicense: MIT\n' },
        { name: 'var/lib/dpkg/info/python3-yaml.list', content: '/usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA\n' },
        { name: 'var/lib/dpkg/status.d/python3-yaml', content: 'Package: python3-yaml\nVersion: 6.0-3+b2\nArchitecture: amd64\nSource: pyyaml\n' },
      ],
      [
        { name: 'app/node_modules/@scope/a/package.json', content: JSON.stringify({ name: '@scope/a', version: '1.0.0', license: '(MIT OR Apache-2.0)' }) },
        { name: 'app/node_modules/b/package.json', content: JSON.stringify({ name: 'b', version: '2.0.0', license: 'SEE LICENSE IN LICENSE.md' }) },
        { name: 'root/.aws/credentials', content: '[default]' },
      ],
    ],
  });
  report = await runScan(source);
});

describe('report formats', () => {
  it('writes CycloneDX 1.6 that validates against the official schema', () => {
    const bom = JSON.parse(toCycloneDx(sbomSourceOf(report))) as { specVersion: string; components: Array<{ name: string; components?: unknown[] }> };
    const validate = cycloneDx16Validator();
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bom.specVersion).toBe('1.6');
    // The dpkg-owned Python package is nested under its owner, not listed twice at the top.
    expect(bom.components.some((c) => c.name === 'PyYAML')).toBe(false);
    expect(bom.components.find((c) => c.name === 'python3-yaml')?.components).toHaveLength(1);
  });

  it('writes SPDX 2.3 that validates against the official schema', () => {
    const doc = JSON.parse(toSpdx(sbomSourceOf(report))) as { packages: unknown[]; relationships: Array<{ relationshipType: string }> };
    const validate = spdx23Validator();
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.packages).toHaveLength(report.scan.packages.length + 1);
    expect(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(report.scan.packages.length);
  });

  it('writes an envelope the control plane accepts, with checks and grade', () => {
    const envelope = toEnvelope(report);
    expect(scanEnvelopeSchema.safeParse(JSON.parse(JSON.stringify(envelope))).success).toBe(true);
    expect(envelope.layers.map((l) => l.empty)).toEqual([false, false, true]);
    const levels = Object.fromEntries(envelope.checks!.map((c) => [c.id, c.level]));
    expect(levels).toMatchObject({
      'CIS-DI-0001': 'WARN',
      'CIS-DI-0009': 'WARN',
      'CIS-DI-0010': 'FATAL',
      'HG-SECRET-FILES': 'FATAL',
      'DKL-DI-0001': 'WARN',
      'CIS-DI-0008': 'INFO',
    });
    expect(envelope.compliance?.grade).toBe('F');
    expect(envelope.packages.find((p) => p.name === 'PyYAML')?.ownedBy).toMatch(/^pkg:deb\/debian\/python3-yaml@/);
  });

  it('carries the scan warnings in the envelope, and none when there are none', () => {
    const warned = toEnvelope({ ...report, scan: { ...report.scan, warnings: ['vulnerabilities not matched: no advisory database at /x'] } });
    expect(warned.warnings).toEqual(['vulnerabilities not matched: no advisory database at /x']);
    expect(scanEnvelopeSchema.safeParse(warned).success).toBe(true);
    expect(toEnvelope({ ...report, scan: { ...report.scan, warnings: [] } })).not.toHaveProperty('warnings');
  });

  it('writes a readable table', () => {
    const table = toTable(report);
    expect(table).toContain('python3-yaml');
    expect(table).toContain('grade F');
  });
});
