// `harborguard ci <image>`: the CI gate. Scans the image (here, or on a HarborGuard server with
// --url), decides by the policy (.harborguard.yaml and flags) and VEX, writes the reports asked
// for, and exits 0 (pass), 1 (the policy failed) or 2 (no decision: a usage error, a bad policy or
// VEX document, the scan failed, the server unreachable, the deadline). Either way the last line
// says why.
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { TOOL_VERSION } from '#shared/sbom/tool-info.ts';
import { GATE_EXIT, type GateInput, type Verdict } from '../gate/gate-types.ts';
import { DEFAULT_POLICY_FILE, findDefaultPolicy, loadPolicyFile, parsePolicy } from '../gate/policy-file.ts';
import { displayPath } from '../gate/display-path.ts';
import { mergePolicy, type Policy } from '../gate/policy.ts';
import { policyRules } from '../gate/rules.ts';
import { GATE_FORMAT_NAMES, type GateFormat } from '../gate/reports/formats.ts';
import type { GateReportOptions } from '../gate/reports/index.ts';
import { decide, summaryLine } from '../gate/verdict.ts';
import { toCiTable } from './ci/ci-table.ts';
import { gateInputFromServerScan } from './ci/server-gate-input.ts';
import { ServerScan } from './ci/server-scan.ts';
import { withImageScanOptions, type ImageScanFlags } from './image-scan-options.ts';

type CiFormat = 'table' | GateFormat;
const FORMATS: readonly CiFormat[] = ['table', ...GATE_FORMAT_NAMES];
const SCAN_ID = /^scn-[A-Za-z0-9_-]+$/;

interface CiFlags extends ImageScanFlags {
  url?: string;
  apiKey?: string;
  timeout: number;
  policy?: string;
  failOn?: string;
  onlyFixed?: boolean;
  failOnKev?: boolean;
  maxRiskScore?: number;
  minGrade?: string;
  failOnChecks?: string;
  newOnly?: boolean;
  baseline?: string;
  vex: string[];
  format: CiFormat;
  output: Array<{ format: CiFormat; path: string }>;
  sarifLocation?: string;
}

class UsageError extends Error {}

const number = (name: string) => (value: string) => {
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError(`${name} must be a number`);
  return parsed;
};
const collect =
  <T>(parse: (value: string) => T) =>
  (value: string, previous: T[]) => [...previous, parse(value)];
function outputOf(value: string): { format: CiFormat; path: string } {
  const at = value.indexOf('=');
  const format = value.slice(0, at) as CiFormat;
  if (at < 1 || at === value.length - 1) throw new InvalidArgumentError('expected <format>=<path>, e.g. sarif=harborguard.sarif');
  if (!FORMATS.includes(format)) throw new InvalidArgumentError(`unknown format "${format}"; known: ${FORMATS.join(', ')}`);
  return { format, path: value.slice(at + 1) };
}

/** The policy in force: defaults, then .harborguard.yaml (or --policy), then the flags, each validated alike. */
function policyOf(flags: CiFlags): { policy: Policy; source: string } {
  const file = flags.policy ?? findDefaultPolicy(process.cwd());
  const fromFlags = parsePolicy(
    Object.fromEntries(
      Object.entries({
        failOn: flags.failOn,
        onlyFixed: flags.onlyFixed,
        failOnKev: flags.failOnKev,
        maxRiskScore: flags.maxRiskScore,
        minGrade: flags.minGrade,
        failOnChecks: flags.failOnChecks?.split(',').map((entry) => entry.trim()),
        newOnly: flags.newOnly,
      }).filter(([, value]) => value !== undefined),
    ),
    'flags',
  );
  return { policy: mergePolicy(file ? loadPolicyFile(file) : undefined, fromFlags), source: file ? displayPath(file) : 'flags' };
}

/** Progress for a person at a terminal (one live line), or timestamped lines for a CI log. */
function progressLine(): (message: string) => void {
  if (process.stderr.isTTY) return (message) => process.stderr.write(`\r\x1b[K${message}`);
  return (message) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${message}\n`);
}

interface Decided {
  input: GateInput;
  verdict: Verdict;
  options: GateReportOptions;
}

async function runGate(image: string, flags: CiFlags): Promise<Decided> {
  const { policy, source } = policyOf(flags);
  if (policy.newOnly && !flags.baseline) throw new UsageError('newOnly needs --baseline <image or scan id>: the scan to compare with');
  // Loaded only when asked for, like the report writers: `ci --url` starts small and submits soon.
  const vex = flags.vex.length > 0 ? (await import('../gate/vex/vex.ts')).loadVexFiles(flags.vex) : [];
  const progress = progressLine();
  const url = flags.url ?? process.env.HARBORGUARD_URL;
  const options: GateReportOptions = {
    toolVersion: TOOL_VERSION,
    rules: policyRules(policy),
    ...(flags.sarifLocation ? { locationUri: flags.sarifLocation } : {}),
  };
  let input: GateInput;
  let baseline: GateInput | undefined;
  if (url) {
    const apiKey = flags.apiKey ?? process.env.HARBORGUARD_API_KEY;
    if (!apiKey) throw new UsageError('--url needs --api-key (or HARBORGUARD_API_KEY)');
    const allowEgress = typeof flags.restrictEgress === 'string' ? flags.restrictEgress : '';
    const server = new ServerScan({ url, apiKey, allowEgress, deadline: Date.now() + flags.timeout * 1000, progress });
    const onServer = async (reference: string) => {
      const detail = SCAN_ID.test(reference) ? await server.detail(reference) : await server.scan(reference);
      return gateInputFromServerScan(detail, reference, server.dashboardUrl(detail.id));
    };
    input = await onServer(image);
    if (policy.newOnly) baseline = await onServer(flags.baseline!);
  } else {
    if (policy.newOnly && SCAN_ID.test(flags.baseline!))
      throw new UsageError('a scan id as --baseline needs a server (--url); locally, name the baseline image');
    // The engine loads only to scan here: `ci --url` starts without it.
    const { scanLocally } = await import('./ci/local-gate-input.ts');
    const scanned = await scanLocally(image, flags, progress);
    input = scanned.input;
    options.sbomSource = scanned.sbomSource;
    if (policy.newOnly) baseline = (await scanLocally(flags.baseline!, flags, progress)).input;
  }
  const verdict = decide(input, policy, { vex, now: new Date(), policySource: source, ...(baseline ? { baseline } : {}) });
  return { input, verdict, options };
}

async function write(format: CiFormat, { input, verdict, options }: Decided): Promise<string> {
  if (format === 'table') return toCiTable(input, verdict);
  return (await import('../gate/reports/index.ts')).GATE_FORMATS[format](input, verdict, options);
}

export function ciCommand(): Command {
  const command = new Command('ci')
    .description('gate a CI pipeline on an image: scan it, decide by policy and VEX, exit 0 pass, 1 fail, 2 undecided')
    .argument('<image>', 'the image to gate: a registry reference, oci:<dir>[:tag], oci-archive:<file>, docker-archive:<file>')
    .option('--url <url>', 'scan on this HarborGuard server instead of here (or HARBORGUARD_URL)')
    .option('--api-key <key>', 'API key or personal access token for --url (or HARBORGUARD_API_KEY)')
    .option('--timeout <seconds>', 'how long to wait for the server to finish the scan', number('--timeout'), 1800)
    .option('--policy <file>', `policy file (default: ${DEFAULT_POLICY_FILE} in the working directory, if there is one)`)
    .option('--fail-on <severity>', 'fail on a counted finding at or above CRITICAL, HIGH, MEDIUM or LOW (NONE: no severity gate; default CRITICAL)')
    .option('--only-fixed', 'count only findings that have a fixed version')
    .option('--fail-on-kev', 'fail on any counted finding in CISA’s Known Exploited Vulnerabilities')
    .option('--max-risk-score <score>', 'fail when the risk score of the counted findings is above this (0–100)', number('--max-risk-score'))
    .option('--min-grade <grade>', 'fail when the compliance grade is worse than this (A–F)')
    .option(
      '--fail-on-checks <ids-or-levels>',
      'fail on these configuration checks, by id or level (FATAL, WARN, INFO), comma-separated, when they do not pass',
    )
    .option('--new-only', 'count only findings the --baseline does not have')
    .option('--baseline <image-or-scan-id>', 'what --new-only compares with: an image (scanned the same way) or, with --url, a scan id')
    .option('--vex <file>', 'OpenVEX 0.2.0 or CycloneDX VEX document: not_affected and fixed statements suppress findings (repeatable)', collect(String), [])
    .addOption(new Option('--format <format>', 'what to print on stdout').choices([...FORMATS]).default('table'))
    .option('--output <format=path>', `also write a report to a file (repeatable): ${FORMATS.join(', ')}`, collect(outputOf), [])
    .option('--sarif-location <path>', 'the repository file SARIF results point at (default Dockerfile)');
  return withImageScanOptions(command).action(async (image: string, flags: CiFlags) => {
    let decided: Decided;
    try {
      decided = await runGate(image, flags);
    } catch (error) {
      // Whatever kept the gate from deciding: one line, exit 2 (a failed policy is exit 1).
      process.stderr.write(`harborguard ci: ${(error as Error).message.split('\n', 1)[0]}\n`);
      process.exit(GATE_EXIT.undecided);
    }
    for (const { format, path } of flags.output) writeFileSync(path, await write(format, decided));
    process.stdout.write(await write(flags.format, decided));
    // Machine formats keep stdout to themselves; the summary line still ends the log.
    if (flags.format !== 'table') process.stderr.write(`${summaryLine(decided.verdict)}\n`);
    process.exit(decided.verdict.outcome === 'pass' ? GATE_EXIT.pass : GATE_EXIT.fail);
  });
}
