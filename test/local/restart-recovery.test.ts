// `npm start` killed and started again on its data folder, with scans complete, running and
// queued: nothing lost (a complete scan keeps its packages: S3 persists), nothing stuck (the
// running and the queued scan are queued again and complete), nothing duplicated (each starts
// one task after the restart, and the killed run's tasks and engine died with it). Then a
// SIGTERM with a scan running: the scan is failed with the reason before the stores stop, so it
// neither stays IN_PROGRESS nor holds the organisation's running-scan cap.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTools } from '../../scanner-task/testing/tools.ts';
import { push, startRegistry, type LocalRegistry } from '../../scanner-task/testing/local-registry.ts';
import { EXPECTED_PACKAGES, waitForStatus, writeAppImage } from '../pipeline/pipeline-support.ts';
import { apiKey, call, type Credential } from '../support/http.ts';
import { isAlive, killAll, processTree, startNpmStart, stopNpmStart, until, type NpmStart } from './npm-start-process.ts';

/**
 * A TCP proxy in front of the registry. Closed, it accepts connections and never answers, so
 * a scan pulling through it stays running for as long as the test needs; open, it forwards.
 */
async function startGate(target: string): Promise<{ host: string; connections: number; open(): void; shut(): void; close(): Promise<void> }> {
  const [targetHost, targetPort] = target.split(':');
  const sockets = new Set<Socket>();
  let open = false;
  const gate = {
    host: '',
    connections: 0,
    open: () => void (open = true),
    shut: () => void (open = false),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server: Server = createServer((socket) => {
    gate.connections += 1;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (!open) return;
    const upstream = connect(Number(targetPort), targetHost);
    upstream.on('error', () => socket.destroy());
    socket.pipe(upstream).pipe(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  gate.host = `127.0.0.1:${(server.address() as { port: number }).port}`;
  return gate;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The structured log lines (shared/logging/logger.ts) among everything the stack printed. */
const logLines = (output: string): Array<Record<string, unknown>> =>
  output.split('\n').flatMap((line) => {
    try {
      const parsed: unknown = JSON.parse(line);
      return isRecord(parsed) ? [parsed] : [];
    } catch {
      return [];
    }
  });
const logged = (output: string, message: string, fields: Record<string, unknown> = {}) =>
  logLines(output).filter((line) => line.message === message && Object.entries(fields).every(([key, value]) => line[key] === value));
const launches = (output: string, scanId: string) => logged(output, 'scan launched', { scanId }).length;
const packagesOf = (scan: { packages: Array<{ name: string; version: string }> }) => scan.packages.map((p) => `${p.name}@${p.version}`).sort();
const tasksOf = (stack: NpmStart) => processTree(stack.child.pid!).filter((p) => p.cmdline.includes('dist/scanner/task.mjs'));

const skip = missingTools('docker-registry', 'skopeo');

describe.skipIf(skip)(`npm start across restarts${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hg-restart-'));
  // One running scan per organisation: the second scan waits in the queue behind the first.
  // Logs on: the test counts the dispatcher's launches in them.
  const env = { HG_MAX_RUNNING_SCANS_PER_ORG: '1', POWERTOOLS_LOG_LEVEL: 'INFO' };
  let registry: LocalRegistry;
  let gate: Awaited<ReturnType<typeof startGate>>;
  let key: Credential;
  let stack: NpmStart;

  beforeAll(async () => {
    registry = await startRegistry();
    push(await writeAppImage(), registry.host, 'example/app:1.0');
    await writeAppImage(join(dataDir, 'images', 'app'));
    gate = await startGate(registry.host);
  }, 120_000);
  afterAll(async () => {
    killAll();
    await Promise.all([gate?.close(), registry?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const submit = async (image: string): Promise<string> => {
    const response = await call(stack.url, 'POST', '/api/scans', key, { image, scanners: ['harborguard'] });
    expect(response.status).toBe(202);
    return response.body.scanId as string;
  };
  const details = async (scanId: string) => (await call(stack.url, 'GET', `/api/scans/${scanId}`, key)).body.data;

  /** A scan pulling through the shut gate: IN_PROGRESS, its task waiting on the registry. */
  const startHangingScan = async (): Promise<string> => {
    gate.shut();
    const connectionsBefore = gate.connections;
    const scanId = await submit(`${gate.host}/example/app:1.0`);
    await waitForStatus(stack.url, key, scanId, (status) => status === 'IN_PROGRESS');
    await until('the task is pulling through the gate', () => gate.connections > connectionsBefore);
    return scanId;
  };

  it('a kill (SIGKILL) loses nothing, leaves nothing stuck and runs each scan once', { timeout: 300_000 }, async () => {
    stack = await startNpmStart(dataDir, { env });
    key = apiKey(stack.createdKey!);

    const complete = await submit('oci:app:app');
    await waitForStatus(stack.url, key, complete, (status) => status === 'COMPLETE');
    expect(packagesOf(await details(complete))).toEqual(EXPECTED_PACKAGES);

    const running = await startHangingScan();
    const queued = await submit('oci:app:app');
    // The dispatcher saw it and left it queued behind the running scan (the cap of one).
    await until('the queued scan is deferred', () => logged(stack.output(), 'scan deferred', { scanId: queued }).length > 0);
    expect((await call(stack.url, 'GET', `/api/scans/${queued}/status`, key)).body.data.status).toBe('QUEUED');

    const survivors = processTree(stack.child.pid!).filter((p) => p.pid !== stack.child.pid);
    expect(tasksOf(stack)).toHaveLength(1);
    expect(survivors.some((p) => p.cmdline.includes('LoopbackDynamoDbLocal'))).toBe(true);
    await stopNpmStart(stack.child, 'SIGKILL');
    // The killed run's scanner task and DynamoDB Local end with it: nothing goes on scanning
    // (and uploading) a scan the next run queues again, or holds the data folder.
    await until('the killed run’s processes are gone', () => survivors.every((p) => !isAlive(p.pid)), 20_000);

    gate.open();
    stack = await startNpmStart(dataDir, { env });
    await until('recovery is logged', () => logged(stack.output(), 'queued interrupted scans again').length > 0);
    expect(logged(stack.output(), 'queued interrupted scans again', { level: 'INFO', queued: 1, running: 1 })).toHaveLength(1);

    for (const scanId of [running, queued]) {
      await waitForStatus(stack.url, key, scanId, (status) => status === 'COMPLETE');
      expect(packagesOf(await details(scanId))).toEqual(EXPECTED_PACKAGES);
    }
    // Written before the kill, read back after it.
    expect(packagesOf(await details(complete))).toEqual(EXPECTED_PACKAGES);
    expect((await details(complete)).status).toBe('COMPLETE');
    expect([launches(stack.output(), running), launches(stack.output(), queued), launches(stack.output(), complete)]).toEqual([1, 1, 0]);
    const list = (await call(stack.url, 'GET', '/api/scans?limit=10', key)).body;
    expect(list.meta.total).toBe(3);
    expect((await call(stack.url, 'GET', '/api/scans?status=IN_PROGRESS', key)).body.meta.total).toBe(0);
  });

  it('a stop (SIGTERM) fails the running scan with the reason before the stores stop, and frees its slot', { timeout: 300_000 }, async () => {
    const running = await startHangingScan();
    const [task] = tasksOf(stack);
    expect(await stopNpmStart(stack.child, 'SIGTERM')).toBe(0);
    expect(isAlive(task!.pid)).toBe(false);

    stack = await startNpmStart(dataDir, { env });
    const status = (await call(stack.url, 'GET', `/api/scans/${running}/status`, key)).body.data;
    expect(status).toMatchObject({
      status: 'FAILED',
      failure: { code: 'SCANNER_CRASHED', reason: expect.stringContaining('The local stack was stopped (SIGTERM) while the scan ran') },
    });
    expect(stack.output()).not.toContain('queued interrupted scans again');
    // The organisation's one running slot is free: a new scan starts and completes.
    const next = await submit('oci:app:app');
    await waitForStatus(stack.url, key, next, (state) => state === 'COMPLETE');
    await stopNpmStart(stack.child);
  });
});
