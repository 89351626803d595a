// Oracle tests run a real tool (dpkg, rpm, Maven's ComparableVersion). Locally a missing
// tool skips them with the reason in the test name; in CI (HG_REQUIRE_ORACLES=1) a
// missing tool is a failure, never a silent skip.
import { spawnSync } from 'node:child_process';

export interface Oracle {
  // Run the test: the tool is there, or it is required and the test must fail loudly.
  run: boolean;
  title: string;
  assertAvailable(): void;
}

export function oracle(title: string, probe: string[], install: string): Oracle {
  const [command, ...args] = probe;
  const available = spawnSync(command ?? '', args, { stdio: 'ignore' }).status === 0;
  const required = process.env.HG_REQUIRE_ORACLES === '1';
  const missing = `${command} is not installed (${install})`;
  if (!available && !required) console.warn(`oracle test skipped: ${title}: ${missing}`);
  return {
    run: available || required,
    title: available || required ? title : `${title} — skipped: ${missing}; CI sets HG_REQUIRE_ORACLES=1`,
    assertAvailable() {
      if (!available) throw new Error(`HG_REQUIRE_ORACLES=1 but ${missing}`);
    },
  };
}

export type Verdict = '<' | '=' | '>' | 'error';

export const verdictOf = (n: number): Verdict => (n < 0 ? '<' : n > 0 ? '>' : '=');
