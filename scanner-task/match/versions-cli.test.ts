// End-to-end tests of `harborguard versions compare` (scanner-task/cli/versions-command.ts),
// run through the real CLI entry point. They live here because the command is the match
// module's user interface.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../cli/harborguard.mjs', import.meta.url));

function harborguard(args: string[], input?: string): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [CLI, 'versions', 'compare', ...args], { input, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('harborguard versions compare', () => {
  it.each([
    [['Debian', '1.0', '1.0-1'], '<'],
    [['Debian', '1:1.0', '2.0'], '>'],
    [['Red Hat', '1:1.0-1', '2.0-1'], '>'],
    [['Alpine', '1.0_rc1', '1.0'], '<'],
    [['npm', 'v1.2.3', '1.2.3'], '='],
    [['PyPI', '1.0.post1', '1.0'], '>'],
    [['Maven', '1.0-SNAPSHOT', '1.0'], '<'],
  ])('%j prints %s', (args, expected) => {
    const result = harborguard(args);
    expect(result).toEqual({ status: 0, stdout: `${expected}\n`, stderr: '' });
  });

  it('answers one line per input line with --stdin', () => {
    const result = harborguard(['Debian', '--stdin'], '1.0 1.0-0\n\n1.0~rc1 1.0\n  2   1  \n');
    expect(result).toEqual({ status: 0, stdout: '=\n\n<\n>\n', stderr: '' });
  });

  it.each([
    [['Hex', '1.0', '2.0'], /^harborguard versions compare: unknown ecosystem "Hex"/],
    [['Debian', '1.0-', '1.0'], /^harborguard versions compare: invalid dpkg version "1.0-": revision number is empty\n$/],
    [['npm', '1.0.0'], /two versions are needed/],
  ])('%j fails with one line and exit 2', (args, message) => {
    const result = harborguard(args);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(message);
  });

  it('stops at the first unparseable line of --stdin, naming it', () => {
    const result = harborguard(['PyPI', '--stdin'], '1.0 1.0\nfoo 1.0\n2.0 1.0\n');
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('=\n');
    expect(result.stderr).toBe('harborguard versions compare: line 2: invalid PEP 440 version "foo": not [N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local]\n');
  });
});
