// Every report format from one real scan: CycloneDX 1.6 and SPDX 2.3 validated against their official
// JSON schemas (CycloneDX's bundled with its library, SPDX's copied into testdata/), the envelope
// against the shared zod schema.
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanEnvelopeSchema } from '#domain/envelope/envelope-schema.ts';
import { runScan } from '../engine/run-scan.ts';
import { writeOciLayout } from '../testing/build-image.ts';
import { toCycloneDx } from './cyclonedx.ts';
import { toEnvelope } from './envelope.ts';
import type { ScanReport } from './scan-report.ts';
import { toSpdx } from './spdx.ts';
import { toTable } from './table.ts';

const require = createRequire(import.meta.url);
const cdxSchemas = join(dirname(require.resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
const loadJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

// `extra` maps the URL a $ref resolves to onto the schema file that holds it (CycloneDX's bundled
// schemas reference their SNAPSHOT file names, not their own $ids).
function validator(schema: Record<string, unknown>, extra: Record<string, Record<string, unknown>> = {}, draft2019 = false) {
  const ajv = draft2019 ? new Ajv2019({ strict: false, allErrors: true }) : new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const [url, { $id: _ignored, ...rest }] of Object.entries(extra)) ajv.addSchema(rest, url);
  return ajv.compile(schema);
}

let report: ScanReport;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'hg-report-'));
  const status = readFileSync('/var/lib/dpkg/status', 'utf8').split(/\n\n+/).slice(0, 40).join('\n\n');
  const source = await writeOciLayout(dir, {
    config: { config: { User: 'root', Env: ['PATH=/usr/bin', 'DB_PASSWORD=hunter2'] } },
    history: [{ created_by: 'ADD https://example.com/x.tgz /x' }, { created_by: 'RUN npm install', created: '2026-01-02T03:04:05.123456789Z' }, { created_by: 'CMD ["node"]', empty_layer: true }],
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
    const bom = JSON.parse(toCycloneDx(report)) as { specVersion: string; components: Array<{ name: string; components?: unknown[] }> };
    const validate = validator(loadJson(join(cdxSchemas, 'bom-1.6.SNAPSHOT.schema.json')), Object.fromEntries(
      ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json'].map((f) => [`http://cyclonedx.org/schema/${f}`, loadJson(join(cdxSchemas, f))]),
    ));
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bom.specVersion).toBe('1.6');
    // The dpkg-owned Python package is nested under its owner, not listed twice at the top.
    expect(bom.components.some((c) => c.name === 'PyYAML')).toBe(false);
    expect(bom.components.find((c) => c.name === 'python3-yaml')?.components).toHaveLength(1);
  });

  it('writes SPDX 2.3 that validates against the official schema', () => {
    const doc = JSON.parse(toSpdx(report)) as { packages: unknown[]; relationships: Array<{ relationshipType: string }> };
    const validate = validator(loadJson(join(import.meta.dirname, 'testdata', 'spdx-2.3.schema.json')), {}, true);
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.packages).toHaveLength(report.scan.packages.length + 1);
    expect(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(report.scan.packages.length);
  });

  it('writes an envelope the control plane accepts, with checks and grade', () => {
    const envelope = toEnvelope(report);
    expect(scanEnvelopeSchema.safeParse(JSON.parse(JSON.stringify(envelope))).success).toBe(true);
    expect(envelope.layers.map((l) => l.empty)).toEqual([false, false, true]);
    const levels = Object.fromEntries(envelope.checks!.map((c) => [c.id, c.level]));
    expect(levels).toMatchObject({ 'CIS-DI-0001': 'WARN', 'CIS-DI-0009': 'WARN', 'CIS-DI-0010': 'FATAL', 'HG-SECRET-FILES': 'FATAL', 'DKL-DI-0001': 'WARN', 'CIS-DI-0008': 'INFO' });
    expect(envelope.compliance?.grade).toBe('F');
    expect(envelope.packages.find((p) => p.name === 'PyYAML')?.ownedBy).toMatch(/^pkg:deb\/debian\/python3-yaml@/);
  });

  it('writes a readable table', () => {
    const table = toTable(report);
    expect(table).toContain('python3-yaml');
    expect(table).toContain('grade F');
  });
});
