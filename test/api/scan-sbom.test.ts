// GET /api/scans/{id}/sbom: the packages ingest stored, as CycloneDX 1.6 or SPDX 2.3 JSON that
// validates against the official schemas, for viewers and up of the scan's organisation only.
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycloneDx16Validator, spdx23Validator } from '#shared/sbom/testdata/schema-validators.ts';
import type { ScanEnvelope } from '#shared/envelope/envelope-schema.ts';
import { apiKey, authHeaders, call } from '../support/http.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { seedOrganization, type SeededOrg } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let acme: SeededOrg;
let globex: SeededOrg;
let scanId: string;

// What a real scanner reports (purl, location, licences, a dpkg-owned Python package) next to
// what a third-party sensor may send (no purl, no location, free-text licence).
const packages: ScanEnvelope['packages'] = [
  {
    name: 'python3-yaml',
    version: '6.0-3+b2',
    type: 'deb',
    purl: 'pkg:deb/debian/python3-yaml@6.0-3%2Bb2?arch=amd64',
    location: 'var/lib/dpkg/status.d/python3-yaml',
    sourceName: 'pyyaml',
    sourceVersion: '6.0-3',
    licenses: ['MIT'],
    layerDigest: 'sha256:' + 'cd'.repeat(32),
  },
  {
    name: 'PyYAML',
    version: '6.0',
    type: 'pypi',
    purl: 'pkg:pypi/pyyaml@6.0',
    location: 'usr/lib/python3/dist-packages/PyYAML-6.0.dist-info/METADATA',
    ownedBy: 'pkg:deb/debian/python3-yaml@6.0-3%2Bb2?arch=amd64',
    matchedVia: { type: 'deb', name: 'python3-yaml', reason: 'installed by the deb package python3-yaml' },
    licenses: ['MIT'],
  },
  {
    name: '@scope/a',
    version: '1.0.0',
    type: 'npm',
    purl: 'pkg:npm/%40scope/a@1.0.0',
    location: 'app/node_modules/@scope/a/package.json',
    licenses: ['(MIT OR Apache-2.0)'],
  },
  { name: 'vendored-lib', version: '2.1', type: 'binary', licenses: ['SEE LICENSE IN LICENSE.md'] },
  { name: 'vendored-lib', version: '2.1', type: 'binary' },
];

beforeAll(async () => {
  stack = await startTestStack();
  acme = await seedOrganization('sbom-acme');
  globex = await seedOrganization('sbom-globex');
  scanId = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(acme.apiKeys.admin), { image: 'ghcr.io/acme/api:1.4.7' })).body.scanId;
  const upload = await call(
    stack.baseUrl,
    'POST',
    '/api/scans/upload',
    apiKey(acme.sensorKey),
    sampleEnvelope({ scan: { id: scanId, finishedAt: '2026-04-26T14:22:11.211Z' }, packages }),
  );
  expect(upload.status).toBe(200);
});
afterAll(() => stack?.close());

interface CycloneDxBom {
  specVersion: string;
  serialNumber: string;
  metadata: { component: { name: string; version: string; type: string }; timestamp: string };
  components: Array<{ name: string; purl?: string; components?: Array<{ name: string }> }>;
}

describe('CycloneDX (the default)', () => {
  it('validates against the CycloneDX 1.6 schema and describes every stored package', async () => {
    const response = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom`, apiKey(acme.apiKeys.viewer));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/vnd.cyclonedx+json');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${scanId}.cdx.json"`);
    const bom = response.body as CycloneDxBom;
    const validate = cycloneDx16Validator();
    expect(validate(bom), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(bom.specVersion).toBe('1.6');
    expect(bom.metadata.component).toMatchObject({ type: 'container', name: 'ghcr.io/acme/api', version: 'sha256:' + 'ab'.repeat(32) });
    expect(bom.metadata.timestamp).toBe('2026-04-26T14:22:11.211Z');
    // Four at the top; PyYAML nested under the dpkg package that owns it, not listed twice.
    expect(bom.components.map((c) => c.name).sort()).toEqual(['@scope/a', 'python3-yaml', 'vendored-lib', 'vendored-lib']);
    expect(bom.components.find((c) => c.name === 'python3-yaml')?.components?.map((c) => c.name)).toEqual(['PyYAML']);
  });

  it('is the same document on every download (stable serial number)', async () => {
    const first = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom?format=cyclonedx`, apiKey(acme.apiKeys.admin));
    const second = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom?format=cyclonedx`, { kind: 'bearer', value: acme.pats.developer });
    expect(first.body.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(second.body).toEqual(first.body);
  });

  it('is gzip-compressed for clients that accept it', async () => {
    const response = await fetch(`${stack.baseUrl}/api/scans/${scanId}/sbom`, {
      headers: { ...authHeaders(apiKey(acme.apiKeys.viewer)), 'Accept-Encoding': 'gzip' },
    });
    expect(response.headers.get('content-encoding')).toBe('gzip');
    const raw = Buffer.from(await response.arrayBuffer());
    // fetch decodes gzip itself; either way the bytes are the BOM.
    const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
    expect(JSON.parse(text).bomFormat).toBe('CycloneDX');
  });
});

describe('the package list', () => {
  it('carries why an OS-owned language package has no findings of its own', async () => {
    const response = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/packages?type=pypi`, apiKey(acme.apiKeys.viewer));
    expect(response.status).toBe(200);
    expect(response.body.data).toEqual([packages[1]]);
  });
});

describe('SPDX', () => {
  it('validates against the SPDX 2.3 schema, with CONTAINS relationships and extracted licences', async () => {
    const response = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom?format=spdx`, { kind: 'cookie', value: acme.sessions.viewer });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/spdx+json');
    const doc = response.body as {
      spdxVersion: string;
      documentNamespace: string;
      packages: Array<{ SPDXID: string; name: string; licenseDeclared: string }>;
      relationships: Array<{ spdxElementId: string; relationshipType: string; relatedSpdxElement: string }>;
      hasExtractedLicensingInfos?: Array<{ name: string }>;
    };
    const validate = spdx23Validator();
    expect(validate(doc), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(doc.spdxVersion).toBe('SPDX-2.3');
    expect(doc.documentNamespace).toContain(scanId);
    expect(doc.packages).toHaveLength(packages.length + 1);
    expect(new Set(doc.packages.map((p) => p.SPDXID)).size).toBe(packages.length + 1);
    const id = (name: string) => doc.packages.find((p) => p.name === name)!.SPDXID;
    expect(doc.relationships).toContainEqual({ spdxElementId: id('python3-yaml'), relationshipType: 'CONTAINS', relatedSpdxElement: id('PyYAML') });
    expect(doc.relationships.filter((r) => r.relationshipType === 'CONTAINS')).toHaveLength(packages.length);
    expect(doc.packages.find((p) => p.name === '@scope/a')?.licenseDeclared).toBe('(MIT OR Apache-2.0)');
    expect(doc.hasExtractedLicensingInfos?.map((l) => l.name)).toEqual(['SEE LICENSE IN LICENSE.md']);
  });
});

describe('refusals', () => {
  it('rejects an unknown format or query parameter with the documented error body', async () => {
    const bad = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom?format=xml`, apiKey(acme.apiKeys.viewer));
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      error: { code: 'VALIDATION_ERROR', message: 'Invalid query parameter: format', issues: [{ path: 'format', message: 'must be one of cyclonedx, spdx' }] },
    });
    const unknown = await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom?fromat=spdx`, apiKey(acme.apiKeys.viewer));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.issues).toEqual([{ path: 'fromat', message: 'unknown query parameter' }]);
  });

  it('answers 404 for another organisation scan and an unknown scan', async () => {
    for (const path of [`/api/scans/${scanId}/sbom`, '/api/scans/scn-doesnotexist/sbom', '/api/scans/not-a-scan-id/sbom?format=spdx']) {
      const response = await call(stack.baseUrl, 'GET', path, apiKey(globex.apiKeys.admin));
      expect(response.status, path).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('answers 409 for a scan that is not COMPLETE', async () => {
    const queued = (await call(stack.baseUrl, 'POST', '/api/scans', apiKey(acme.apiKeys.developer), { image: 'alpine:3.19' })).body.scanId;
    const response = await call(stack.baseUrl, 'GET', `/api/scans/${queued}/sbom`, apiKey(acme.apiKeys.viewer));
    expect(response.status).toBe(409);
    expect(response.body.error).toEqual({ code: 'CONFLICT', message: `Scan ${queued} is QUEUED; its SBOM exists once the scan is COMPLETE` });
  });

  it('requires a user or API key credential: none is 401, a sensor key 403', async () => {
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom`, { kind: 'none' })).status).toBe(401);
    expect((await call(stack.baseUrl, 'GET', `/api/scans/${scanId}/sbom`, apiKey(acme.sensorKey))).status).toBe(403);
    expect((await call(stack.baseUrl, 'POST', `/api/scans/${scanId}/sbom`, apiKey(acme.apiKeys.admin))).status).toBe(405);
  });
});
