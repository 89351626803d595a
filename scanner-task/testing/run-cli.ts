// Test helper: the `harborguard` CLI as users run it, a real process with its exit code and
// output. Async so that independent runs overlap: each one pays Node + TypeScript loader start-up.
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '..', 'cli', 'harborguard.mjs');

export function harborguard(args: string[], input = '', env: Record<string, string> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, HARBORGUARD_USERNAME: '', HARBORGUARD_PASSWORD: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (status) => ok({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}
