// Which host tools the oracle tests can use. A missing tool skips a test with its reason, except in
// CI (HG_REQUIRE_ORACLES=1), where a missing tool must fail the run instead of hiding it.
import { execFileSync } from 'node:child_process';

export const oraclesRequired = process.env.HG_REQUIRE_ORACLES === '1';

export function hasTool(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The reason to skip when a tool is missing, or undefined when all are there. Throws in CI. */
export function missingTools(...names: string[]): string | undefined {
  const missing = names.filter((n) => !hasTool(n));
  if (missing.length === 0) return undefined;
  const reason = `needs ${missing.join(', ')} (Debian packages, see .ci/apt-packages.txt)`;
  if (oraclesRequired) throw new Error(`HG_REQUIRE_ORACLES=1 but this test ${reason}`);
  return reason;
}
