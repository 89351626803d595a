import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { loadVex, VexError } from './vex.ts';

const fixture = (name: string) => join(import.meta.dirname, '..', 'testdata', name);
const shown = (name: string) => relative(process.cwd(), fixture(name));

function loadError(name: string): string {
  try {
    loadVex(fixture(name));
  } catch (error) {
    if (error instanceof VexError) return error.message;
    throw error;
  }
  throw new Error(`${name} loaded without an error`);
}

/** The official schema of a CycloneDX version, as @cyclonedx/cyclonedx-library ships it (their $refs name the SNAPSHOT files). */
function officialSchema(specVersion: string) {
  const folder = join(dirname(createRequire(import.meta.url).resolve('@cyclonedx/cyclonedx-library/package.json')), 'res', 'schema');
  const load = (file: string) => JSON.parse(readFileSync(join(folder, file), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, logger: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  for (const file of ['spdx.SNAPSHOT.schema.json', 'jsf-0.82.SNAPSHOT.schema.json']) {
    const { $id: _id, ...schema } = load(file);
    ajv.addSchema(schema, `http://cyclonedx.org/schema/${file}`);
  }
  return ajv.compile(load(`bom-${specVersion}.SNAPSHOT.schema.json`));
}

describe('the CycloneDX VEX fixtures', () => {
  it.each(['cyclonedx-vex-bom-refs.json', 'cyclonedx-vex-purl-refs.json'])('%s is valid by the official schema of its version', (name) => {
    const document = JSON.parse(readFileSync(fixture(name), 'utf8')) as { specVersion: string };
    const validate = officialSchema(document.specVersion);
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe('CycloneDX VEX', () => {
  it("resolves bom-refs (the image's too, and a BOM-Link into this BOM) and maps analysis states onto OpenVEX statuses", () => {
    const file = shown('cyclonedx-vex-bom-refs.json');
    expect(loadVex(fixture('cyclonedx-vex-bom-refs.json'))).toEqual([
      {
        vulnerabilities: ['CVE-2024-0727', 'DSA-5678-1'],
        products: [{ ids: ['pkg:deb/debian/openssl@3.0.11-1~deb12u2?distro=debian-12'], subcomponents: [] }],
        status: 'not_affected',
        justification: 'code_not_reachable',
        detail: 'The API never parses PKCS12 files.',
        timestamp: '2024-05-01T00:00:00Z',
        source: `${file}#0`,
      },
      {
        vulnerabilities: ['GHSA-rv95-896h-c2vc'],
        products: [{ ids: ['pkg:npm/express@4.17.1'], subcomponents: [] }],
        status: 'not_affected',
        statedStatus: 'false_positive',
        detail: 'express is a build-time dependency only.',
        timestamp: '2024-06-01T12:00:00Z',
        source: `${file}#1`,
      },
      {
        vulnerabilities: ['CVE-2023-44487'],
        products: [{ ids: [`ghcr.io/acme/api@sha256:${'ab'.repeat(32)}`], subcomponents: [] }],
        status: 'affected',
        statedStatus: 'exploitable',
        detail: 'The API serves HTTP/2.',
        timestamp: '2024-06-01T12:00:00Z',
        source: `${file}#2`,
      },
      {
        vulnerabilities: ['CVE-2023-45853'],
        products: [{ ids: ['pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1'], subcomponents: [] }],
        status: 'fixed',
        statedStatus: 'resolved_with_pedigree',
        detail: 'Patched in our build of zlib.',
        timestamp: '2024-06-01T12:00:00Z',
        source: `${file}#3`,
      },
      // #4 has no analysis: a vulnerability report, not a VEX statement.
    ]);
  });

  it('reads purl refs and BOM-Links into another BOM whose bom-ref is a purl', () => {
    const statements = loadVex(fixture('cyclonedx-vex-purl-refs.json'));
    expect(statements.map((s) => [s.status, s.products])).toEqual([
      ['not_affected', [{ ids: ['pkg:deb/debian/openssl@3.0.11-1~deb12u2'], subcomponents: [] }]],
      ['under_investigation', [{ ids: ['pkg:npm/qs@6.7.0'], subcomponents: [] }]],
    ]);
  });

  it.each([
    [
      'cyclonedx-vex-invalid-state.json',
      '/vulnerabilities/0/analysis/state: Invalid option: expected one of "not_affected"|"false_positive"|"resolved"|"resolved_with_pedigree"|"exploitable"|"in_triage"',
    ],
    ['cyclonedx-vex-bad-time.json', '/vulnerabilities/0/analysis/lastUpdated: Invalid ISO datetime'],
    ['cyclonedx-vex-unknown-ref.json', '/vulnerabilities/1/affects/0/ref: "pkg-lodash" is not a bom-ref of this document, a purl or a BOM-Link'],
    [
      'cyclonedx-vex-foreign-bom-link.json',
      '/vulnerabilities/1/affects/0/ref: "urn:cdx:0b8a8f2c-6d07-4b3e-9d5a-5d1c2f0e9a11/3#component-17" links into another BOM by a bom-ref that is not a purl, which the gate cannot resolve',
    ],
    ['cyclonedx-vex-spec-1.3.json', '/specVersion: CycloneDX 1.3 is not read; VEX needs 1.4, 1.5, 1.6'],
  ])('refuses %s in one line naming the file and the problem', (name, problem) => {
    expect(loadError(name)).toBe(`${shown(name)}: ${problem}`);
  });
});
