// `npm start` as a newcomer runs it: the real start script in its own process, then the
// README's curl walk-through with the printed key, and a restart that keeps the data.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { writeOneAdvisorySnapshot } from '../../scanner-task/testing/one-advisory-snapshot.ts';
import { killAll, startNpmStart, stopNpmStart } from './npm-start-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'hg-start-'));
afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

const start = (env: Record<string, string> = {}) => startNpmStart(dataDir, { env }).then((stack) => ({ ...stack, output: stack.output() }));
const stop = (child: Parameters<typeof stopNpmStart>[0]) => stopNpmStart(child).then(() => undefined);

const snapshotFile = join(dataDir, 'advisories.db');

it('prints the URL, a working admin key and the advisory snapshot it found, and the curl walk-through works', { timeout: 120_000 }, async () => {
  const { url, output, child } = await start({ HARBORGUARD_DB: snapshotFile });
  expect(output).toContain(`advisory snapshot: none at ${snapshotFile}; scans complete without vulnerability findings`);
  const key = /admin API key \(shown once, keep it\): (hg_ak_[0-9a-f]{48})/.exec(output)?.[1];
  expect(key).toBeDefined();
  const headers = { 'X-API-Key': key!, 'Content-Type': 'application/json' };

  const created = await fetch(`${url}/api/scans`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ image: 'ghcr.io/acme/api:1.4.7', scanners: ['harborguard'] }),
  });
  expect(created.status).toBe(202);
  const { scanId } = (await created.json()) as { scanId: string };
  const list = (await (await fetch(`${url}/api/scans`, { headers })).json()) as { data: Array<{ id: string }> };
  expect(list.data.map((s) => s.id)).toEqual([scanId]);
  expect((await fetch(`${url}/api/scans/${scanId}`, { headers })).status).toBe(200);
  expect(((await (await fetch(`${url}/api/scans/${scanId}/status`, { headers })).json()) as { data: { id: string } }).data.id).toBe(scanId);
  await stop(child);

  // Restart on the same data: the scan is still there and no new key is printed; the snapshot built meanwhile is found.
  await writeOneAdvisorySnapshot(snapshotFile, '2026-11-30T08:00:00.000Z');
  const again = await start({ HARBORGUARD_DB: snapshotFile });
  expect(again.output).not.toMatch(/shown once/);
  expect(again.output).toContain(`advisory snapshot: ${snapshotFile} (built 2026-11-30T08:00:00.000Z, advisories: 1)`);
  expect(((await (await fetch(`${again.url}/api/scans/${scanId}/status`, { headers })).json()) as { data: { id: string } }).data.id).toBe(scanId);
  expect((await fetch(`${again.url}/api/scans/${scanId}`, { method: 'DELETE', headers })).status).toBe(200);
  await stop(again.child);
});

it('adopts HG_BOOTSTRAP_API_KEY and HG_BOOTSTRAP_PAT, and refuses a malformed one with one line', { timeout: 120_000 }, async () => {
  const apiKey = 'hg_ak_' + 'a1'.repeat(24);
  const pat = 'hg_pat_' + 'b2'.repeat(24);
  const { url, child } = await start({ HG_BOOTSTRAP_API_KEY: apiKey, HG_BOOTSTRAP_PAT: pat });
  expect((await fetch(`${url}/api/api-keys`, { headers: { Authorization: `Bearer ${apiKey}` } })).status).toBe(200);
  expect((await fetch(`${url}/api/personal-access-tokens`, { headers: { Authorization: `Bearer ${pat}` } })).status).toBe(200);
  await stop(child);

  await expect(start({ HG_BOOTSTRAP_API_KEY: 'hg_ak_short' })).rejects.toThrow(/exited with 1:\n.*harborguard: HG_BOOTSTRAP_API_KEY must be hg_ak_/s);
});
