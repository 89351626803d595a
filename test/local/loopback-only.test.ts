// What `npm start` exposes to the network: every socket its processes listen on (the API, the
// ECS endpoint, fauxqs, DynamoDB Local and any running scanner task) is on 127.0.0.1, read from
// /proc/net/tcp{,6} by socket inode; connecting to this machine's other addresses is refused.
// `--host 0.0.0.0` exposes the API, only the API, and says so.
import { readdirSync, readFileSync, readlinkSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { apiKey, call } from '../support/http.ts';
import { startBlackhole, waitForStatus } from '../pipeline/pipeline-support.ts';
import { killAll, processTree, startNpmStart, stopNpmStart, until } from './npm-start-process.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'hg-loopback-'));
afterAll(() => {
  killAll();
  rmSync(dataDir, { recursive: true, force: true });
});

/** /proc/net/tcp's hex address (little-endian 32-bit words) as text: 127.0.0.1, ::ffff:127.0.0.1, ::. */
function decodeAddress(hex: string): string {
  const bytes = Buffer.from(hex, 'hex');
  for (let i = 0; i < bytes.length; i += 4) bytes.subarray(i, i + 4).reverse();
  if (bytes.length === 4) return [...bytes].join('.');
  if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) return `::ffff:${[...bytes.subarray(12)].join('.')}`;
  const groups = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

interface ListeningSocket {
  pid: number;
  command: string;
  address: string;
  port: number;
}

/** The TCP sockets in LISTEN state held by the processes of `root`'s tree. */
function listeningSockets(root: number): ListeningSocket[] {
  const listening = new Map<string, { address: string; port: number }>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').trim().split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields[3] !== '0A') continue; // LISTEN
      const [address, port] = fields[1]!.split(':');
      listening.set(fields[9]!, { address: decodeAddress(address!), port: parseInt(port!, 16) });
    }
  }
  return processTree(root).flatMap(({ pid, cmdline }) => {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      return [];
    }
    return fds.flatMap((fd) => {
      let target: string;
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        return [];
      }
      const socket = listening.get(/^socket:\[(\d+)\]$/.exec(target)?.[1] ?? '');
      return socket ? [{ pid, command: cmdline.split(' ')[0]!, ...socket }] : [];
    });
  });
}

const LOOPBACK = ['127.0.0.1', '::ffff:127.0.0.1', '::1'];

/** This machine's addresses other than loopback (connections to them must be refused). */
const otherAddresses = Object.values(networkInterfaces()).flatMap((list) =>
  (list ?? []).filter((a) => !a.internal && a.family === 'IPv4').map((a) => a.address),
);

function connects(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

it('listens on 127.0.0.1 only, a running scanner task included', { timeout: 180_000 }, async () => {
  const stack = await startNpmStart(dataDir);
  const blackhole = await startBlackhole();
  try {
    // A scan that hangs in its registry pull keeps a scanner task running while we look.
    const key = apiKey(stack.createdKey!);
    const created = await call(stack.url, 'POST', '/api/scans', key, { image: `${blackhole.host}/example/app:1.0`, scanners: ['harborguard'] });
    expect(created.status).toBe(202);
    await waitForStatus(stack.url, key, created.body.scanId, (status) => status === 'IN_PROGRESS');
    await until('the scanner task runs', () => processTree(stack.child.pid!).some((p) => p.cmdline.includes('dist/scanner/task.mjs')));

    const sockets = listeningSockets(stack.child.pid!);
    const apiPort = Number(new URL(stack.url).port);
    // The API, the ECS endpoint and fauxqs in npm start's process; DynamoDB Local in java.
    expect(sockets.filter((s) => s.pid === stack.child.pid).length).toBeGreaterThanOrEqual(3);
    expect(sockets.some((s) => s.port === apiPort)).toBe(true);
    expect(sockets.some((s) => s.command.endsWith('java'))).toBe(true);
    expect(sockets.filter((s) => !LOOPBACK.includes(s.address))).toEqual([]);
    for (const address of otherAddresses) {
      for (const { port } of sockets) expect(await connects(address, port), `${address}:${port}`).toBe(false);
    }
  } finally {
    await stopNpmStart(stack.child);
    await blackhole.close();
  }
});

it('--host 0.0.0.0 exposes the API alone, with a warning', { timeout: 120_000 }, async () => {
  const stack = await startNpmStart(dataDir, { args: ['--host', '0.0.0.0'] });
  try {
    await until('the warning is printed', () => /warning: the API listens on every interface \(--host\)/.test(stack.output()), 10_000);
    const apiPort = Number(new URL(stack.url).port);
    const sockets = listeningSockets(stack.child.pid!);
    expect(sockets.filter((s) => !LOOPBACK.includes(s.address))).toEqual([
      { pid: stack.child.pid, command: expect.any(String), address: '0.0.0.0', port: apiPort },
    ]);
    for (const address of otherAddresses) {
      expect(await connects(address, apiPort), `API on ${address}`).toBe(true);
      for (const { port } of sockets.filter((s) => s.port !== apiPort)) expect(await connects(address, port), `${address}:${port}`).toBe(false);
    }
  } finally {
    await stopNpmStart(stack.child);
  }
});
