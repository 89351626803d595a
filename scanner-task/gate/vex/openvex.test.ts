import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVex, VexError } from './vex.ts';

const testdata = join(import.meta.dirname, '..', 'testdata');
const fixture = (name: string) => join(testdata, name);
/** How messages name a fixture: relative to the working directory, as a user's own path would read. */
const shown = (name: string) => relative(process.cwd(), fixture(name));

function loadError(name: string): VexError {
  try {
    loadVex(fixture(name));
  } catch (error) {
    if (error instanceof VexError) return error;
    throw error;
  }
  throw new Error(`${name} loaded without an error`);
}

describe('the vendored OpenVEX schema', () => {
  const official = '/work/shared/schemas/openvex-0.2.0.schema.json';
  it.skipIf(!existsSync(official))('is byte for byte the official copy (skipped only where the shared schemas folder is absent)', () => {
    const vendored = join(import.meta.dirname, '..', '..', '..', 'shared', 'vex', 'openvex-0.2.0.schema.json');
    expect(readFileSync(vendored).equals(readFileSync(official))).toBe(true);
  });
});

describe('OpenVEX 0.2.0 documents', () => {
  it("reads vexctl's shape: name, @id and aliases as the vulnerability's ids, each product's @id or identifiers.purl", () => {
    const statements = loadVex(fixture('openvex-wolfi-git-fixed.json'));
    expect(statements).toEqual([
      {
        vulnerabilities: ['CVE-2023-22490', 'https://nvd.nist.gov/vuln/detail/CVE-2023-22490', 'GHSA-xxxx-git1-0001'],
        products: [
          { ids: ['pkg:apk/wolfi/git@2.39.0-r1?arch=armv7'], subcomponents: [] },
          { ids: ['pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'], subcomponents: [] },
        ],
        status: 'fixed',
        timestamp: '2023-01-08T18:02:03.647787998-06:00',
        source: `${shown('openvex-wolfi-git-fixed.json')}#0`,
      },
      {
        vulnerabilities: ['CVE-2023-23946'],
        products: [{ ids: ['pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64'], subcomponents: [] }],
        status: 'affected',
        actionStatement: 'Upgrade to git 2.39.2-r0 or later.',
        // A statement without its own time has the document's (OpenVEX spec, "timestamp").
        timestamp: '2023-01-08T18:02:03.647787998-06:00',
        source: `${shown('openvex-wolfi-git-fixed.json')}#1`,
      },
    ]);
  });

  it('reads an image product with subcomponents, justifications and impact statements', () => {
    const [express, rapidReset] = loadVex(fixture('openvex-image-subcomponents.json'));
    expect(express).toMatchObject({
      products: [{ ids: [expect.stringMatching(/^pkg:oci\/api@sha256%3A/)], subcomponents: ['pkg:npm/express@4.17.1', 'pkg:npm/qs@6.7.0'] }],
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
    });
    expect(rapidReset).toMatchObject({
      products: [{ ids: ['pkg:oci/api?repository_url=ghcr.io%2Facme%2Fapi&tag=1.4'] }],
      detail: expect.stringContaining('HTTP/1.1 only'),
    });
  });

  it.each([
    ['openvex-invalid-status.json', '/statements/0/status: must be equal to one of the allowed values (not_affected, affected, fixed, under_investigation)'],
    ['openvex-not-affected-without-justification.json', "/statements/0: must have required property 'justification'"],
    ['openvex-unknown-field.json', '/statements/0/products/0: must NOT have additional properties ("purl")'],
    ['openvex-missing-version.json', "/: must have required property 'version'"],
    ['openvex-legacy-draft.json', '/@context: "https://openvex.dev/ns" is not OpenVEX 0.2.0 (https://openvex.dev/ns/v0.2.0), the version read'],
    ['openvex-statement-without-products.json', '/statements/0: names no products, so it applies to nothing'],
  ])('refuses %s in one line naming the file and the problem', (name, problem) => {
    const error = loadError(name);
    expect(error.message).toBe(`${shown(name)}: ${problem}`);
    expect(error.message).not.toContain('\n');
  });

  it('refuses what is not JSON, neither format (CSAF), or not there', () => {
    expect(loadError('vex-truncated.json').message).toMatch(/^scanner-task\/gate\/testdata\/vex-truncated\.json: not JSON: /);
    expect(loadError('csaf-vex.json').message).toBe(
      `${shown('csaf-vex.json')}: neither OpenVEX (an "@context" of https://openvex.dev/ns/…) nor CycloneDX ("bomFormat": "CycloneDX")`,
    );
    expect(loadError('missing.json').message).toBe(`${shown('missing.json')}: no such file`);
  });
});
