// One scan in its own process for bench:hostile: the engine's whole scan and envelope, as
// bench/scan-engine.ts runs it, but a refusal is an outcome to report (its failure code and the
// one-line reason a user sees), not a crash. Run: node <bundle> <source>
import { runScan } from '../scanner-task/engine/run-scan.ts';
import { toEnvelope } from '../scanner-task/report/envelope.ts';
import { failureCodeOf } from '../scanner-task/task/failure-code.ts';

const started = performance.now();
let outcome: Record<string, unknown>;
try {
  const envelope = toEnvelope(await runScan(process.argv[2]!));
  outcome = { status: 'COMPLETE', packages: envelope.packages.length, warnings: envelope.warnings?.length ?? 0 };
} catch (error) {
  outcome = { status: failureCodeOf(error), reason: error instanceof Error ? error.message : String(error) };
}
const usage = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ ...outcome, ms: performance.now() - started, cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKb: usage.maxRSS })}\n`,
);
