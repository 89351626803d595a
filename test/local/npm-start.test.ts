// `npm start` as a newcomer runs it: the real start script in its own process, then the
// README's curl walk-through with the printed key, and a restart that keeps the data.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'hg-start-'));
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}): Promise<{ url: string; output: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  child.stderr!.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 90_000);
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const url = /running at (http:\/\/127\.0\.0\.1:\d+)\/api\/scans/.exec(output)?.[1];
      if (url && /try: curl/.test(output)) {
        clearTimeout(timer);
        resolve({ url, output, child });
      }
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => {
  child.once('exit', () => resolve());
  child.kill('SIGTERM');
});

it('prints the URL and a working admin key, and the curl walk-through works', { timeout: 120_000 }, async () => {
  const { url, output, child } = await start();
  const key = /admin API key \(shown once, keep it\): (hg_ak_[0-9a-f]{48})/.exec(output)?.[1];
  expect(key).toBeDefined();
  const headers = { 'X-API-Key': key!, 'Content-Type': 'application/json' };

  const created = await fetch(`${url}/api/scans`, { method: 'POST', headers, body: JSON.stringify({ image: 'ghcr.io/acme/api:1.4.7', scanners: ['harborguard'] }) });
  expect(created.status).toBe(202);
  const { scanId } = (await created.json()) as { scanId: string };
  const list = (await (await fetch(`${url}/api/scans`, { headers })).json()) as { data: Array<{ id: string }> };
  expect(list.data.map((s) => s.id)).toEqual([scanId]);
  expect((await fetch(`${url}/api/scans/${scanId}`, { headers })).status).toBe(200);
  expect(((await (await fetch(`${url}/api/scans/${scanId}/status`, { headers })).json()) as { data: { id: string } }).data.id).toBe(scanId);
  await stop(child);

  // Restart on the same data: the scan is still there and no new key is printed.
  const again = await start();
  expect(again.output).not.toMatch(/shown once/);
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
