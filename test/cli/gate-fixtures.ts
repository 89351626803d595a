// What the CI gate's end-to-end tests gate: a base image with nothing to find and an app image
// that adds lodash 4.17.20 (GHSA-35jh-r3h4-6jhm, CVE-2021-23337, HIGH, fixed in 4.17.21), the one
// advisory of the snapshot beside them, and an OpenVEX document that says the app is not affected.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeOciLayout } from '../../scanner-task/testing/build-image.ts';
import { writeOneAdvisorySnapshot } from '../../scanner-task/testing/one-advisory-snapshot.ts';

const osRelease = { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' };
const lodash = { name: 'usr/lib/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.20' }) };

/** The two images as OCI layouts under `dir` (tags `base` and `app`), and the snapshot; the layouts' `oci:` sources. */
export async function writeGateFixtures(dir: string): Promise<{ base: string; app: string; db: string }> {
  const base = await writeOciLayout(join(dir, 'base'), { layers: [[osRelease]] }, 'base');
  const app = await writeOciLayout(join(dir, 'app'), { layers: [[osRelease], [lodash]] }, 'app');
  const db = join(dir, 'advisories.db');
  await writeOneAdvisorySnapshot(db, '2026-11-01T00:00:00Z');
  return { base, app, db };
}

/** An OpenVEX 0.2.0 document at `path`: lodash 4.17.20 not affected by CVE-2021-23337, for `justification`. */
export function writeNotAffectedVex(path: string, justification = 'vulnerable_code_not_in_execute_path'): string {
  writeFileSync(
    path,
    JSON.stringify({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      '@id': 'https://example.com/vex/app-1',
      author: 'Acme Security',
      timestamp: '2026-11-20T10:00:00Z',
      version: 1,
      statements: [{ vulnerability: { name: 'CVE-2021-23337' }, products: [{ '@id': 'pkg:npm/lodash@4.17.20' }], status: 'not_affected', justification }],
    }),
  );
  return path;
}
