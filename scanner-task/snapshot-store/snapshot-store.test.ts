// Publishing the advisory snapshot and fetching it as a task does, against fauxqs's S3 (started
// by the global setup): one download, then 304s from the cache, a new download when it changes.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSnapshot } from '../match/build-snapshot.ts';
import type { SnapshotHeader } from '#shared/matching/snapshot-format.ts';
import { fetchSnapshot } from '#shared/snapshots/fetch-snapshot.ts';
import { resolveAdvisoryDb } from './resolve-advisory-db.ts';
import { publishSnapshot } from './s3-snapshot-publisher.ts';

const work = mkdtempSync(join(tmpdir(), 'hg-snapshot-store-'));
const scenarios = new URL('../match/testdata/scenarios/', import.meta.url).pathname;
const client = new S3Client({});
const location = { bucket: `t${randomBytes(4).toString('hex')}-artifacts`, key: 'advisories/advisories.db' };

/** `harborguard db …` as a process. */
const cli = (args: string[]) =>
  promisify(execFile)(process.execPath, [join(import.meta.dirname, '../cli/harborguard.mjs'), 'db', ...args], {
    // A child process cannot resolve fauxqs's *.localhost names; by IP the SDK addresses the bucket by path.
    env: { ...process.env, AWS_ENDPOINT_URL_S3: process.env.AWS_ENDPOINT_URL_S3!.replace('s3.localhost', '127.0.0.1') },
  })
    .then(({ stderr }) => ({ status: 0, stderr }))
    .catch((error: { code: number; stderr: string }) => ({ status: error.code, stderr: error.stderr }));

async function build(name: string, scenario: string): Promise<{ file: string; header: SnapshotHeader }> {
  const file = join(work, name);
  const { header } = await buildSnapshot({ from: [join(scenarios, scenario, 'osv')], output: file });
  return { file, header };
}

beforeAll(async () => {
  await client.send(new CreateBucketCommand({ Bucket: location.bucket }));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('advisory snapshot in S3', () => {
  it('downloads once, answers from the cache on 304, downloads again after a change', async () => {
    const npm = await build('npm.db', 'npm');
    expect(await publishSnapshot(client, location, npm.file, npm.header)).toMatchObject({ status: 'published', etag: expect.any(String) });
    // The same content is not uploaded again: the ETag, and every task's cache, stay valid.
    expect(await publishSnapshot(client, location, npm.file, npm.header)).toEqual({ status: 'unchanged' });

    const cache = join(work, 'cache');
    const first = await fetchSnapshot(client, location, cache);
    expect(first.status).toBe('downloaded');
    expect(readFileSync(first.path)).toEqual(readFileSync(npm.file));
    const second = await fetchSnapshot(client, location, cache);
    expect(second).toEqual({ ...first, status: 'not-modified' });

    const debian = await build('debian.db', 'debian-source');
    expect(debian.header.contentHash).not.toBe(npm.header.contentHash);
    expect(await publishSnapshot(client, location, debian.file, debian.header)).toMatchObject({ status: 'published' });
    const third = await fetchSnapshot(client, location, cache);
    expect(third.status).toBe('downloaded');
    expect(third.etag).not.toBe(first.etag);
    expect(readFileSync(third.path)).toEqual(readFileSync(debian.file));
    const stored = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.key }));
    expect(stored.Metadata?.['content-hash']).toBe(debian.header.contentHash);
    await stored.Body?.transformToByteArray();
  });

  it('publishes a snapshot larger than one request carries, in parts, byte for byte', { timeout: 60_000 }, async () => {
    // 20 MiB: three parts, beyond what the emulator takes in one PUT (as a flaky link would refuse a long one).
    const large = join(work, 'large.db');
    writeFileSync(large, randomBytes(20 * 1024 * 1024));
    const header = { ...(await build('small.db', 'npm')).header, contentHash: `sha256:${createHash('sha256').update(readFileSync(large)).digest('hex')}` };
    const at = { ...location, key: 'advisories/large.db' };
    expect(await publishSnapshot(client, at, large, header)).toMatchObject({ status: 'published', etag: expect.any(String) });
    const fetched = await fetchSnapshot(client, at, join(work, 'large-cache'));
    expect(createHash('sha256').update(readFileSync(fetched.path)).digest('hex')).toBe(header.contentHash.slice('sha256:'.length));
    expect(await publishSnapshot(client, at, large, header)).toEqual({ status: 'unchanged' });
  });

  it('downloads again when the cached file is gone, even with its ETag recorded', async () => {
    const cache = join(work, 'cache-lost');
    const first = await fetchSnapshot(client, location, cache);
    await rm(first.path);
    expect((await fetchSnapshot(client, location, cache)).status).toBe('downloaded');
  });

  it('opens the snapshot the task environment names; a missing object leaves the scan unmatched, not failed', async () => {
    const env = { HARBORGUARD_DB_S3_BUCKET: location.bucket, HARBORGUARD_DB_S3_KEY: location.key, XDG_CACHE_HOME: join(work, 'xdg') };
    const { db, fetched } = await resolveAdvisoryDb(undefined, env);
    expect(fetched?.status).toBe('downloaded');
    expect(db.snapshot?.header.ecosystems).toHaveProperty('Debian:12');
    db.snapshot?.close();
    expect((await resolveAdvisoryDb(`s3://${location.bucket}/${location.key}`, env)).fetched?.status).toBe('not-modified');
    const missing = await resolveAdvisoryDb(undefined, { ...env, HARBORGUARD_DB_S3_KEY: 'advisories/missing.db' });
    expect(missing.db.snapshot).toBeUndefined();
    expect(missing.db.path).toBe(`s3://${location.bucket}/advisories/missing.db`);
    expect(missing.db).toMatchObject({ reason: expect.stringMatching(/no advisory snapshot published at s3:\/\/.*advisories\/missing\.db/) });
    // A bucket that is not there is not "not published yet": the scan fails.
    await expect(resolveAdvisoryDb(undefined, { ...env, HARBORGUARD_DB_S3_BUCKET: 'no-such-bucket-hg' })).rejects.toThrow(/no-such-bucket-hg/);
    await expect(resolveAdvisoryDb(undefined, { HARBORGUARD_DB_S3_BUCKET: location.bucket })).rejects.toThrow(/go together/);
  });

  it('publishes a first snapshot for a caller that may not list the bucket (HEAD of the missing object answers 403)', async () => {
    // fauxqs has no IAM: only the 403 is injected, the PUT goes to its S3.
    const withoutList = new S3Client({});
    withoutList.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'HeadObjectCommand') throw Object.assign(new Error('Forbidden'), { name: 'Forbidden', $metadata: { httpStatusCode: 403 } });
        return next(args);
      },
      { step: 'initialize' },
    );
    const npm = await build('npm-first.db', 'npm');
    const first = { bucket: location.bucket, key: 'advisories/first.db' };
    expect(await publishSnapshot(withoutList, first, npm.file, npm.header)).toMatchObject({ status: 'published' });
    expect(readFileSync((await fetchSnapshot(client, first, join(work, 'cache-first'))).path)).toEqual(readFileSync(npm.file));
  });

  it('publishes from the command line: harborguard db publish <file> --bucket … --key …', async () => {
    const npm = join(work, 'npm.db');
    const key = 'advisories/cli.db';
    const published = await cli(['publish', npm, '--bucket', location.bucket, '--key', key]);
    expect(published.status, published.stderr).toBe(0);
    expect(published.stderr).toMatch(new RegExp(`^published s3://${location.bucket}/advisories/cli\\.db \\(ETag .+, content hash `));
    const again = await cli(['publish', npm, '--bucket', location.bucket, '--key', key]);
    expect(again.stderr).toMatch(/already holds content hash .*: not uploaded again/);
    const fetched = await fetchSnapshot(client, { bucket: location.bucket, key }, join(work, 'cache-cli'));
    expect(readFileSync(fetched.path)).toEqual(readFileSync(npm));

    // Anything but a snapshot is refused before it reaches the bucket, in one line.
    writeFileSync(join(work, 'not-a-snapshot.db'), 'hello');
    const refused = await cli(['publish', join(work, 'not-a-snapshot.db'), '--bucket', location.bucket]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect((await cli(['publish', npm])).status).not.toBe(0);
  });

  it('updates on a schedule: harborguard db update rebuilds and publishes only when a feed changed', async () => {
    const folder = join(scenarios, 'npm', 'osv');
    const dump = Buffer.from(zipSync(Object.fromEntries(readdirSync(folder).map((f) => [f, strToU8(readFileSync(join(folder, f), 'utf8'))]))));
    const etag = `"${createHash('sha256').update(dump).digest('hex').slice(0, 16)}"`;
    const server = createServer((req, res) =>
      req.headers['if-none-match'] === etag ? res.writeHead(304, { etag }).end() : res.writeHead(200, { etag, 'content-length': dump.length }).end(dump),
    );
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/npm/all.zip`;
      const target = `s3://${location.bucket}/advisories/updated.db`;
      const args = ['update', '--dump', url, '--cache-dir', join(work, 'feeds'), '-o', join(work, 'updated.db'), '--publish', target];
      const first = await cli(args);
      expect(first.status, first.stderr).toBe(0);
      expect(first.stderr).toMatch(new RegExp(`^1 of 1 feeds changed: .*updated\\.db rebuilt \\(content hash \\S+\\), published to ${target}`));
      const fetched = await fetchSnapshot(client, { bucket: location.bucket, key: 'advisories/updated.db' }, join(work, 'cache-update'));
      expect(readFileSync(fetched.path)).toEqual(readFileSync(join(work, 'updated.db')));
      const second = await cli(args);
      expect(second.stderr).toBe('no feed changed since the last run: nothing rebuilt or published\n');
      expect((await fetchSnapshot(client, { bucket: location.bucket, key: 'advisories/updated.db' }, join(work, 'cache-update'))).status).toBe('not-modified');
    } finally {
      await new Promise<void>((ok) => server.close(() => ok()));
    }
  });

  it('keeps a local file path working as before', async () => {
    const file = join(work, 'local.db');
    writeFileSync(file, readFileSync(join(work, 'npm.db')));
    const { db, fetched } = await resolveAdvisoryDb(undefined, { HARBORGUARD_DB: file });
    expect(fetched).toBeUndefined();
    expect(db.path).toBe(file);
    db.snapshot?.close();
  });
});
