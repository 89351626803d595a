// Test fixtures for db build: OSV records as JSON (GHSA-style) and as YAML (PyPA-style), and a
// folder that mixes them with files that are not records.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// As pypa/advisory-database publishes it (vulns/<project>/PYSEC-….yaml): unquoted timestamps,
// a GIT range beside the ECOSYSTEM one, versions that look like numbers quoted.
export const PYSEC_YAML = `id: PYSEC-2021-108
details: An issue was discovered in urllib3 before 1.26.5. When provided with a URL containing
  many @ characters in the authority component, the authority regular expression exhibits
  catastrophic backtracking.
affected:
- package:
    name: urllib3
    ecosystem: PyPI
    purl: pkg:pypi/urllib3
  ranges:
  - type: GIT
    repo: https://github.com/urllib3/urllib3
    events:
    - introduced: "0"
    - fixed: 2d4a3fee6de2fa45eb82169361918f759269b4ec
  - type: ECOSYSTEM
    events:
    - introduced: "0"
    - fixed: 1.26.5
  versions:
  - '1.0'
  - 1.26.4
references:
- type: ADVISORY
  url: https://github.com/advisories/GHSA-q2q7-5pp4-w6pg
aliases:
- CVE-2021-33503
- GHSA-q2q7-5pp4-w6pg
modified: 2021-08-27T03:22:00.123456Z
published: 2021-06-29T11:15:00Z
`;

export const GHSA_JSON = JSON.stringify({
  id: 'GHSA-1',
  modified: '2024-01-01T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '1.0.0' }] }] }],
});

/** A folder as people have them: records, a README, a truncated JSON file, a JSON file that is no record. */
export async function mixedOsvFolder(folder: string): Promise<string> {
  await mkdir(join(folder, 'vulns', 'urllib3'), { recursive: true });
  await writeFile(join(folder, 'README.md'), '# advisories\n');
  await writeFile(join(folder, 'GHSA-1.json'), GHSA_JSON);
  await writeFile(join(folder, 'broken.json'), GHSA_JSON.slice(0, 40));
  await writeFile(join(folder, 'package.json'), '{"name":"not-a-record"}');
  await writeFile(join(folder, 'vulns', 'urllib3', 'PYSEC-2021-108.yaml'), PYSEC_YAML);
  return folder;
}
