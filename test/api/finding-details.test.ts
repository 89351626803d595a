// API findings carry what the envelope said about each vulnerability — title, aliases,
// references, CVSS vector, purl, package type, layer, KEV and EPSS — merged across the
// advisories that make one finding, and bounded so that a finding at every envelope bound
// still fits its DynamoDB item (≤ 400 KB). Uploaded through the real stack and read back from
// both GET /api/scans/{id}/vulnerabilities and GET /api/scans/{id}.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EnvelopeVulnerability } from '#shared/envelope/envelope-schema.ts';
import { FINDING_REFERENCE_BYTES } from '../../functions/domain/findings/finding-details.ts';
import { sampleEnvelope } from '../support/envelopes.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { seedOrganization } from '../support/seed.ts';
import { startTestStack, type TestStack } from '../support/test-stack.ts';

let stack: TestStack;
let sensor: Credential;
let viewer: Credential;

beforeAll(async () => {
  stack = await startTestStack();
  const org = await seedOrganization('finding-details');
  sensor = apiKey(org.sensorKey);
  viewer = apiKey(org.apiKeys.viewer);
});
afterAll(() => stack?.close());

const layer = 'sha256:' + 'cd'.repeat(32);

/** Uploads the vulnerabilities and returns the findings as the paged route and the detail give them. */
async function uploadAndRead(vulnerabilities: EnvelopeVulnerability[]) {
  const envelope = sampleEnvelope({ vulnerabilities });
  const upload = await call(stack.baseUrl, 'POST', '/api/scans/upload', sensor, envelope);
  expect(upload.status, JSON.stringify(upload.body)).toBe(200);
  const paged = await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}/vulnerabilities?limit=1000`, viewer);
  const detail = await call(stack.baseUrl, 'GET', `/api/scans/${envelope.scan.id}`, viewer);
  expect(detail.body.data.vulnerabilities).toEqual(paged.body.data);
  return paged.body.data as Array<Record<string, unknown>>;
}

it("returns the envelope's finding fields, merged across the advisories of one finding", async () => {
  const findings = await uploadAndRead([
    {
      id: 'GHSA-9wv6-86v2-598j',
      cveId: 'CVE-2024-45296',
      aliases: ['CVE-2024-45296'],
      severity: 'HIGH',
      cvss: 7.5,
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      package: 'path-to-regexp',
      version: '0.1.7',
      packageType: 'npm',
      purl: 'pkg:npm/path-to-regexp@0.1.7',
      fixedVersion: '0.1.10',
      layerDigest: layer,
      scanner: 'harborguard',
      sources: ['ghsa'],
      references: ['https://github.com/advisories/GHSA-9wv6-86v2-598j', 'https://nvd.nist.gov/vuln/detail/CVE-2024-45296'],
      title: 'path-to-regexp outputs backtracking regular expressions',
      epss: 0.0021,
    },
    {
      id: 'CVE-2024-45296',
      severity: 'MEDIUM',
      cvss: 5.3,
      cvssVector: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
      package: 'path-to-regexp',
      version: '0.1.7',
      scanner: 'trivy',
      aliases: ['GHSA-9wv6-86v2-598j', 'SNYK-JS-PATHTOREGEXP-7925106'],
      references: ['https://nvd.nist.gov/vuln/detail/CVE-2024-45296', 'https://security.snyk.io/vuln/SNYK-JS-PATHTOREGEXP-7925106'],
      title: 'a later title that does not replace the first',
      knownExploited: true,
      epss: 0.0034,
    },
    { id: 'CVE-2023-0003', severity: 'LOW', package: 'zlib', version: '1.2.11' },
  ]);
  const [merged, bare] = findings;
  expect(merged).toMatchObject({
    cveId: 'CVE-2024-45296',
    severity: 'HIGH',
    cvss: 7.5,
    package: 'path-to-regexp',
    version: '0.1.7',
    fixedVersion: '0.1.10',
    title: 'path-to-regexp outputs backtracking regular expressions',
    // Every other id the advisories gave, without the finding's own CVE id.
    aliases: ['GHSA-9wv6-86v2-598j', 'SNYK-JS-PATHTOREGEXP-7925106'],
    sources: ['CVE-2024-45296', 'GHSA-9wv6-86v2-598j', 'ghsa', 'harborguard', 'trivy'],
    references: [
      'https://github.com/advisories/GHSA-9wv6-86v2-598j',
      'https://nvd.nist.gov/vuln/detail/CVE-2024-45296',
      'https://security.snyk.io/vuln/SNYK-JS-PATHTOREGEXP-7925106',
    ],
    // The vector of the CVSS score the finding shows.
    cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
    purl: 'pkg:npm/path-to-regexp@0.1.7',
    packageType: 'npm',
    layerDigest: layer,
    knownExploited: true,
    epss: 0.0034,
  });
  // Details no advisory gave are present and empty, never missing.
  expect(bare).toMatchObject({
    cveId: 'CVE-2023-0003',
    title: null,
    aliases: [],
    references: [],
    cvssVector: null,
    purl: null,
    packageType: null,
    layerDigest: null,
    knownExploited: false,
    epss: null,
    sources: ['CVE-2023-0003', 'harborguard'],
  });
});

it('stores a finding whose advisories are at every envelope bound, its references cut to the finding budget in order', async () => {
  const long = (prefix: string, i: number, length: number) => `${prefix}${i}-`.padEnd(length, 'x');
  const advisory = (n: number): EnvelopeVulnerability => ({
    id: long(`GHSA-${n}-`, 0, 256),
    cveId: 'CVE-2024-99999',
    severity: 'CRITICAL',
    cvss: 9.1,
    cvssVector: 'v'.repeat(512),
    package: 'p'.repeat(512),
    version: '1'.repeat(512),
    purl: 'pkg:npm/'.padEnd(4096, 'q'),
    title: 't'.repeat(4096),
    fixedVersion: '2'.repeat(512),
    packageType: 'n'.repeat(64),
    scanner: 's'.repeat(64),
    aliases: Array.from({ length: 256 }, (_, i) => long(`ALIAS-${n}-`, i, 128)),
    sources: Array.from({ length: 64 }, (_, i) => long(`SRC-${n}-`, i, 128)),
    references: Array.from({ length: 256 }, (_, i) => long(`https://example.test/${n}/`, i, 2048)),
  });
  const [finding] = await uploadAndRead([advisory(1), advisory(2)]);
  const references = finding!.references as string[];
  expect(references).toHaveLength(Math.floor(FINDING_REFERENCE_BYTES / 2048));
  expect(references).toEqual(advisory(1).references!.slice(0, references.length));
  expect(finding!.aliases).toHaveLength(256);
  expect(finding!.title).toBe('t'.repeat(4096));
});
