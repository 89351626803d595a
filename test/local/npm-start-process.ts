// `npm start` as a real child process for the local-stack tests: start it on a data folder,
// read what it prints, stop it with a signal, and see the processes it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface NpmStart {
  url: string;
  child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** The admin API key, when this start created it. */
  createdKey?: string;
}

const running = new Set<ChildProcess>();

/** For afterAll: whatever is still running is killed. */
export function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}

export async function startNpmStart(dataDir: string, options: { args?: string[]; env?: Record<string, string> } = {}): Promise<NpmStart> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts', '--port', '0', '--data-dir', dataDir, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  child.stdout.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not come up:\n${output}`)), 90_000);
    const onExit = (code: number | null) => reject(new Error(`npm start exited with ${code}:\n${output}`));
    child.once('exit', onExit);
    child.stdout.on('data', () => {
      const url = /running at (http:\/\/[^\s]+:\d+)\/api\/scans/.exec(output)?.[1];
      if (!url || !/try: curl/.test(output)) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      const createdKey = /admin API key \(shown once, keep it\): (hg_ak_[0-9a-f]{48})/.exec(output)?.[1];
      resolve({ url, child, output: () => output, ...(createdKey ? { createdKey } : {}) });
    });
  });
}

/** Sends the signal and resolves with the exit code once the process is gone. */
export function stopNpmStart(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}

/** Every process whose parent chain leads to `root` (root included), from /proc. */
export function processTree(root: number): Array<{ pid: number; cmdline: string }> {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // The command name in field 2 may hold spaces and parentheses: read after the last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // it exited meanwhile
    }
  }
  const inTree = (pid: number): boolean => pid === root || (parents.has(pid) && pid > 1 && inTree(parents.get(pid)!));
  return [...parents.keys()].filter(inTree).flatMap((pid) => {
    try {
      return [{ pid, cmdline: readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ') }];
    } catch {
      return [];
    }
  });
}

/** Running, not exited and not a zombie waiting for a parent to reap it. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Polls until `condition` holds; fails with `what` after the deadline. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
