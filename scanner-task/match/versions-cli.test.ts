// Tests of `harborguard versions compare` (scanner-task/cli/versions-command.ts): argument
// mode in-process, --stdin through the real CLI entry point. They live here because the
// command is the match module's user interface.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { versionsCommand } from '../cli/versions-command.ts';

const CLI = fileURLToPath(new URL('../cli/harborguard.mjs', import.meta.url));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

async function inProcess(args: string[]): Promise<Run> {
  const run: Run = { status: 0, stdout: '', stderr: '' };
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((run.stdout += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((run.stderr += String(chunk)), true));
  try {
    await versionsCommand()
      .exitOverride()
      .parseAsync(['compare', ...args], { from: 'user' });
  } finally {
    vi.restoreAllMocks();
  }
  run.status = process.exitCode === undefined ? 0 : Number(process.exitCode);
  process.exitCode = undefined;
  return run;
}

// Each run starts node and tsx (seconds on a busy machine), so those cases run concurrently.
function harborguard(args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'versions', 'compare', ...args]);
    const run: Run = { status: null, stdout: '', stderr: '' };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (run.stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (run.stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ ...run, status }));
    child.stdin.end(input);
  });
}

describe('harborguard versions compare', () => {
  afterEach(() => {
    process.exitCode = undefined;
  });

  it.each([
    [['Debian', '1.0', '1.0-1'], '<'],
    [['Debian', '1:1.0', '2.0'], '>'],
    [['Red Hat', '1:1.0-1', '2.0-1'], '>'],
    [['npm', 'v1.2.3', '1.2.3'], '='],
    // Rejected by apk's validator, ordered by its comparison (Alpine advisories use this form).
    [['Alpine', '5.1p1-r0', '5.2_p1-r0'], '<'],
  ])('%j prints %s', async (args, expected) => {
    const result = await inProcess(args);
    expect(result).toEqual({ status: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it.concurrent('answers one line per input line with --stdin', async () => {
    const result = await harborguard(['Debian', '--stdin'], '1.0 1.0-0\n\n1.0~rc1 1.0\n  2   1  \n');
    expect(result).toEqual({ status: 0, stdout: '=\n\n<\n>\n', stderr: '' });
  });

  it.each([
    [['Hex', '1.0', '2.0'], /^harborguard versions compare: unknown ecosystem "Hex"/],
    [['Debian', '1.0-', '1.0'], /^harborguard versions compare: invalid dpkg version "1.0-": revision number is empty\n$/],
    [['npm', '1.0.0'], /two versions are needed/],
  ])('%j fails with one line and exit 2', async (args, message) => {
    const result = await inProcess(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it.concurrent('reports each bad --stdin line with its number, answers the rest, and exits 2 at the end', async () => {
    const result = await harborguard(['PyPI', '--stdin'], '1.0 1.0\nfoo 1.0\n2.0 1.0\n1.0 2.0 3.0\n\n1.0 2.0\n');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('=\n?\n>\n?\n\n<\n');
    expect(result.stderr).toBe(
      'harborguard versions compare: line 2: invalid PEP 440 version "foo": not [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]\n' +
        'harborguard versions compare: line 4: expected two versions separated by whitespace\n',
    );
  });
});
