// Shared pieces of the end-to-end pipeline tests: a small real image in a real registry, and
// waiting for a scan to reach a state.
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { apiDependencies } from '../../functions/composition/api.ts';
import { writeOciLayout } from '../../scanner-task/testing/build-image.ts';
import { call, type Credential } from '../support/http.ts';

const DPKG_STATUS = `Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl
Version: 3.0.11-1~deb12u2

Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib
Version: 1:1.2.13.dfsg-1

`;

/** A two-layer Debian-like image: os-release and dpkg status, then an npm package (tag `app`). */
export async function writeAppImage(dir = mkdtempSync(join(tmpdir(), 'hg-app-'))): Promise<string> {
  return writeOciLayout(
    dir,
    {
      layers: [
        [
          { name: 'etc/', type: 'directory' },
          { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\nPRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\n' },
          { name: 'var/lib/dpkg/status', content: DPKG_STATUS },
        ],
        [{ name: 'app/node_modules/lodash/package.json', content: JSON.stringify({ name: 'lodash', version: '4.17.15', license: 'MIT' }) }],
      ],
      config: { config: { User: 'node', Cmd: ['node', 'server.js'] }, history: [{ created_by: 'ADD rootfs /' }, { created_by: 'COPY app /app' }] },
    },
    'app',
  );
}

export const EXPECTED_PACKAGES = ['libssl3@3.0.11-1~deb12u2', 'lodash@4.17.15', 'zlib1g@1:1.2.13.dfsg-1'];

/** A registry that accepts connections and never answers: a scan against it hangs until stopped. */
export async function startBlackhole(): Promise<{ host: string; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function waitForStatus(
  baseUrl: string,
  credential: Credential,
  scanId: string,
  wanted: (status: string, body: any) => boolean,
  timeoutMs = 90_000,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  let last: any;
  while (Date.now() < deadline) {
    last = (await call(baseUrl, 'GET', `/api/scans/${scanId}/status`, credential)).body;
    if (last?.data && wanted(last.data.status, last.data)) return last.data;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  expect.fail(`scan ${scanId} did not reach the wanted state; last: ${JSON.stringify(last)}`);
}

/**
 * The ARN of the task the dispatcher started for a scan. IN_PROGRESS is written before RunTask
 * answers and the ARN just after, so a scan seen IN_PROGRESS may not have it yet.
 */
export async function taskArnOf(orgId: string, scanId: string, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const taskArn = (await apiDependencies().scans.getScan(orgId, scanId))?.taskArn;
    if (taskArn) return taskArn;
    if (Date.now() > deadline) expect.fail(`scan ${scanId} got no task ARN within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** An OSV record in GitHub's style for the lodash in the test image (CVE-2021-23337). */
export const LODASH_ADVISORY = {
  schema_version: '1.6.0',
  id: 'GHSA-35jh-r3h4-6jhm',
  modified: '2024-01-01T00:00:00Z',
  published: '2021-02-15T00:00:00Z',
  aliases: ['CVE-2021-23337'],
  summary: 'Command Injection in lodash',
  severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H' }],
  affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }] }],
  references: [{ type: 'ADVISORY', url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-23337' }],
};
