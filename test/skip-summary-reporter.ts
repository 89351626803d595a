// Ends every run with the tests that were skipped and why, grouped by reason, so that a green
// run that skipped the oracle tests (a tool missing here; CI sets HG_REQUIRE_ORACLES=1 and fails
// instead) says so at the bottom rather than in a count. The reason is the `ctx.skip(note)`
// note, or the "skipped: …" that a `skipIf` title carries on the test or on a suite around it.
import type { Reporter, TestCase, TestModule } from 'vitest/node';

const UNEXPLAINED = 'no reason given (it.skip, .only elsewhere, or a -t filter)';

/** "rpm cataloger (skipped: needs rpm (Debian …))" → "needs rpm (Debian …)". */
function reasonInTitle(title: string): string | undefined {
  const at = title.indexOf('skipped: ');
  if (at < 0) return undefined;
  const reason = title.slice(at + 'skipped: '.length);
  return title[at - 1] === '(' && reason.endsWith(')') ? reason.slice(0, -1) : reason;
}

function reasonOf(test: TestCase): string {
  const result = test.result();
  if (result.state === 'skipped' && result.note) return result.note;
  for (let node: TestCase | TestCase['parent'] = test; node.type !== 'module'; node = node.parent) {
    const reason = reasonInTitle(node.name);
    if (reason) return reason;
  }
  return UNEXPLAINED;
}

export default class SkipSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byReason = new Map<string, string[]>();
    for (const module of testModules) {
      for (const test of module.children.allTests('skipped')) {
        const reason = reasonOf(test);
        byReason.set(reason, [...(byReason.get(reason) ?? []), `${module.relativeModuleId} > ${test.fullName}`]);
      }
    }
    if (byReason.size === 0) return;
    const lines = [`Skipped tests: ${[...byReason.values()].flat().length}`];
    // A filtered run skips most tests on purpose: those are counted, not listed.
    for (const [reason, tests] of [...byReason].sort(([a], [b]) => Number(a === UNEXPLAINED) - Number(b === UNEXPLAINED))) {
      lines.push(`  ${reason} (${tests.length})`);
      if (reason !== UNEXPLAINED) lines.push(...tests.map((test) => `    ↓ ${test}`));
    }
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
