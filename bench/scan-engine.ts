// One engine run in its own process: the whole scan (digests verified, every cataloger, layer
// breakdown, checks, envelope) of an image. Run: node --import tsx bench/scan-engine.ts <source>
import { runScan } from '../scanner-task/engine/run-scan.ts';
import { toEnvelope } from '../scanner-task/report/envelope.ts';

const started = performance.now();
const report = await runScan(process.argv[2]!);
const envelope = toEnvelope(report);
const ms = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    ms,
    cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    packages: envelope.packages.map((p) => ({ type: p.type, name: p.name, version: p.version, ownedBy: p.ownedBy })),
  })}\n`,
);
