// The CLI under --restrict-egress, over real TLS: a registry whose token realm and blob
// redirects point at another host must never see the user's credentials leave for that host,
// and an internal target is refused with one line and a non-zero exit.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHostileRegistry, startSentinel, type HostileRegistry, type Sentinel } from '../../scanner-task/testing/hostile-registry.ts';
import { harborguard } from '../../scanner-task/testing/run-cli.ts';
import { missingTools } from '../../scanner-task/testing/tools.ts';

const skip = missingTools('openssl');
const PASSWORD = 'stored-registry-password';

let caFile: string;
/** No advisory snapshot: the scan reports without vulnerabilities (said on stderr, not fatal). */
let noAdvisoryDb: Record<string, string>;
let registry: HostileRegistry;
/** The other host (`localhost`): the token service and the blob storage the registry points at. */
let elsewhere: HostileRegistry;
let sentinel: Sentinel;

beforeAll(async () => {
  if (skip) return;
  const dir = mkdtempSync(join(tmpdir(), 'hg-tls-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=hostile-registry',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      join(dir, 'key.pem'),
      '-out',
      join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const tls = { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  caFile = join(dir, 'cert.pem');
  noAdvisoryDb = { HOME: dir, HARBORGUARD_DB: '' };
  sentinel = await startSentinel();
  elsewhere = await startHostileRegistry({
    tls,
    hook: (req, res) => {
      if (req.url?.startsWith('/token')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"token":"anonymous-token"}');
        return true;
      }
      const blob = /^\/storage\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '');
      if (!blob) return false;
      const bytes = blob[1] === registry.image.configDigest ? registry.image.config : registry.image.layer;
      res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(bytes);
      return true;
    },
  });
  const elsewherePort = elsewhere.host.split(':')[1];
  registry = await startHostileRegistry({
    tls,
    hook: (req, res) => {
      if (!req.headers.authorization?.startsWith('Bearer ')) {
        res.writeHead(401, { 'www-authenticate': `Bearer realm="https://localhost:${elsewherePort}/token",service="hostile"` }).end();
        return true;
      }
      const blob = /^\/v2\/example\/app\/blobs\/(sha256:[a-f0-9]{64})$/.exec(req.url ?? '');
      if (!blob) return false;
      res.writeHead(307, { location: `https://localhost:${elsewherePort}/storage/${blob[1]}` }).end();
      return true;
    },
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([registry?.stop(), elsewhere?.stop(), sentinel?.stop()]);
});

it.skipIf(skip)('keeps the credentials on the registry: none to a foreign token realm, none across a redirect', { timeout: 60_000 }, async () => {
  const result = await harborguard(
    ['scan', `${registry.host}/example/app:1`, '--restrict-egress', '127.0.0.1/32', '--username', 'org-robot', '--password-stdin', '--format', 'envelope'],
    PASSWORD,
    { NODE_EXTRA_CA_CERTS: caFile, ...noAdvisoryDb },
  );
  expect(result.status, result.stderr).toBe(0);
  expect(JSON.parse(result.stdout).image.digest).toBe(registry.image.manifestDigest);
  // The token service on the other host was asked, anonymously; the blob storage got the bare URL.
  expect(elsewhere.requests.map((r) => r.path.split('?')[0])).toEqual(expect.arrayContaining(['/token', `/storage/${registry.image.layerDigest}`]));
  expect(elsewhere.requests.filter((r) => r.authorization)).toEqual([]);
  // The registry itself got only the token, never the password (it asked for a bearer token).
  expect(registry.requests.map((r) => r.authorization ?? '').join(' ')).not.toContain(Buffer.from(`org-robot:${PASSWORD}`).toString('base64'));
});

it.skipIf(skip)('sends the credentials to a token realm on another host only when it is configured for the registry', { timeout: 60_000 }, async () => {
  const before = elsewhere.requests.length;
  const result = await harborguard(
    [
      'scan',
      `${registry.host}/example/app:1`,
      '--restrict-egress',
      '127.0.0.1/32',
      '--username',
      'org-robot',
      '--password-stdin',
      '--token-realm',
      'localhost',
      '--format',
      'envelope',
    ],
    PASSWORD,
    { NODE_EXTRA_CA_CERTS: caFile, ...noAdvisoryDb },
  );
  expect(result.status, result.stderr).toBe(0);
  const tokenRequests = elsewhere.requests.slice(before).filter((r) => r.path.startsWith('/token'));
  expect(tokenRequests.map((r) => r.authorization)).toEqual([`Basic ${Buffer.from(`org-robot:${PASSWORD}`).toString('base64')}`]);
  // The blob storage on the same host is still a cross-origin redirect: it gets no credentials.
  expect(elsewhere.requests.slice(before).filter((r) => r.path.startsWith('/storage/') && r.authorization)).toEqual([]);
});

it.skipIf(skip)('refuses an internal address in one line with a non-zero exit, and reaches nothing', async () => {
  const result = await harborguard(['scan', `127.0.0.2:${sentinel.port}/example/app:1`, '--restrict-egress', '127.0.0.1/32'], '', noAdvisoryDb);
  expect(result.status).not.toBe(0);
  expect(result.stderr).not.toMatch(/\n\s+at /);
  expect(result.stderr).toMatch(/127\.0\.0\.2 is a loopback address, not allowed by the egress policy/);
  expect(sentinel.connections()).toBe(0);
});

it.skipIf(skip)('refuses an unreadable allow-list in one line', async () => {
  const result = await harborguard(['scan', `${registry.host}/example/app:1`, '--restrict-egress', '10.0.0.0/99']);
  expect(result.status).not.toBe(0);
  expect(result.stderr.trim()).toMatch(/^harborguard.*"10\.0\.0\.0\/99" is not a CIDR range$/);
});
