// `harborguard db update` against a local HTTP server (127.0.0.1) whose dump holds entries
// that are not OSV records: the rebuild goes ahead and the summary lists them by dump URL,
// as `db build` lists the files it skipped.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';
import { GHSA_JSON, PYSEC_YAML } from '../testing/osv-fixtures.ts';
import { dbCommand } from './db-command.ts';

const dump = Buffer.from(
  zipSync({
    'GHSA-1.json': strToU8(GHSA_JSON),
    'PYSEC-2021-108.yaml': strToU8(PYSEC_YAML),
    'broken.json': strToU8(GHSA_JSON.slice(0, 40)),
    'package.json': strToU8('{"name":"not-a-record"}'),
  }),
);
const server = createServer((req, res) => void (req.url === '/npm/all.zip' ? res.writeHead(200, { etag: '"1"' }).end(dump) : res.writeHead(404).end()));
const work = await mkdtemp(join(tmpdir(), 'hg-db-update-'));
let url = '';
beforeAll(async () => {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/npm/all.zip`;
});
afterAll(async () => {
  await new Promise<void>((ok) => server.close(() => ok()));
  await rm(work, { recursive: true, force: true });
});

async function update(output: string, ...extra: string[]): Promise<string> {
  let stderr = '';
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    await dbCommand()
      .exitOverride()
      .parseAsync(['update', '--dump', url, '--cache-dir', join(work, 'cache'), '-o', output, ...extra], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  return stderr;
}

describe('db update', () => {
  it('rebuilds from the records and lists the dump entries it skipped by their URL', async () => {
    const output = join(work, 'advisories.db');
    const lines = (await update(output)).trimEnd().split('\n');
    const snapshot = await loadSnapshot(output);
    expect(snapshot.header).toMatchObject({ advisories: 2, ecosystems: { npm: 1, PyPI: 1 } });
    snapshot.close();
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(new RegExp(`^1 of 1 feeds changed: ${output} rebuilt`));
    expect(lines.slice(1)).toEqual([
      'skipped 2 dump entries that are not OSV records:',
      expect.stringMatching(new RegExp(`^  ${url}!broken\\.json: invalid JSON: `)),
      `  ${url}!package.json: no id`,
    ]);
    expect(process.exitCode ?? 0).toBe(0);
  });

  it('with --restrict-egress refuses a dump on a loopback address, as the deployed updater would', async () => {
    await expect(update(join(work, 'restricted.db'), '--restrict-egress')).rejects.toThrow(/127\.0\.0\.1/);
    await expect(update(join(work, 'allowed.db'), '--restrict-egress', '127.0.0.1/32')).resolves.toMatch(/1 of 1 feeds changed|no feed changed/);
  });
});
