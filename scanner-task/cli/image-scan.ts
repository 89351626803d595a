// What every subcommand that scans an image shares (`scan`, `ci`): the options that say how to
// reach the image and what to match it against, and the scan itself with its one-line notes.
import { Command, InvalidArgumentError } from 'commander';
import { addFindings } from '../engine/add-findings.ts';
import { runScan } from '../engine/run-scan.ts';
import { parsePlatform } from '../image/platform.ts';
import { RegistryUnreachableError } from '../image/image-errors.ts';
import type { Credentials } from '../image/registry/registry-client.ts';
import { plainHttpAllowed } from '../image/registry/registry-policy.ts';
import { egressPolicy, type EgressPolicy } from '#shared/egress/egress-policy.ts';
import { SCANNERS } from '#shared/scans/scanners.ts';
import type { ScannerRun } from '../scanners/run-scanners.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { refuseBarePath } from './bare-path-hint.ts';

export interface ImageScanFlags {
  platform?: string;
  insecure?: boolean;
  username?: string;
  passwordStdin?: boolean;
  db?: string;
  scanners: string[];
  restrictEgress?: boolean | string;
  tokenRealm?: string;
}

function parseScanners(value: string): string[] {
  const names = [
    ...new Set(
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  ];
  const unknown = names.filter((name) => !(SCANNERS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0)
    throw new InvalidArgumentError(`unknown scanner ${unknown.map((n) => `"${n}"`).join(', ') || '(none given)'}; known: ${SCANNERS.join(', ')}`);
  return names;
}

export function withImageScanOptions(command: Command): Command {
  return command
    .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image (default linux/amd64), and to require of a single-platform one')
    .option('--insecure', 'talk plain HTTP to the registry (loopback registries get HTTPS first, then plain HTTP, without it)')
    .option(
      '--restrict-egress [allow-list]',
      'connect only to public addresses, plus these comma-separated CIDRs or hosts, as the scanner task does (for images someone else named)',
    )
    .option('--username <name>', 'registry user name (or HARBORGUARD_USERNAME)')
    .option('--password-stdin', 'read the registry password from stdin (or HARBORGUARD_PASSWORD)')
    .option('--token-realm <hosts>', "token-service hosts besides the registry's own that may receive the credentials (comma-separated)")
    .option(
      '--db <file>',
      'advisory snapshot to match packages against, a file or s3://bucket/key (default: $HARBORGUARD_DB or ~/.cache/harborguard/advisories.db)',
    )
    .option(
      '--scanners <names>',
      `comma-separated scanners to run: ${SCANNERS.join(', ')} (the built-in harborguard engine always runs; the others must be on PATH)`,
      parseScanners,
      ['harborguard'],
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function credentials(flags: ImageScanFlags): Promise<Credentials | undefined> {
  const username = flags.username ?? process.env.HARBORGUARD_USERNAME;
  if (!username) {
    if (flags.passwordStdin) throw new Error('--password-stdin needs --username');
    return undefined;
  }
  const password = flags.passwordStdin ? await readStdin() : process.env.HARBORGUARD_PASSWORD;
  if (password === undefined) throw new Error('--username needs --password-stdin (or HARBORGUARD_PASSWORD)');
  return { username, password };
}

/** On its user's own machine the CLI goes where it is told; restricted, it follows the task's policy. */
export const egressOf = (flags: Pick<ImageScanFlags, 'restrictEgress'>): EgressPolicy | undefined =>
  flags.restrictEgress === undefined ? undefined : egressPolicy(typeof flags.restrictEgress === 'string' ? flags.restrictEgress : '');

export interface ImageScanOutcome {
  report: ScanReport;
  runs: ScannerRun[];
}

/**
 * Scans `source` as the flags say, with `progress` for a person at a terminal; one-line notes
 * (no advisory database, a scanner that could not run) go to stderr, prefixed by `commandName`.
 */
export async function scanImage(source: string, flags: ImageScanFlags, commandName: string, progress?: (message: string) => void): Promise<ImageScanOutcome> {
  await refuseBarePath(source);
  const creds = await credentials(flags);
  const platform = flags.platform ? parsePlatform(flags.platform) : undefined;
  const egress = egressOf(flags);
  const realmHosts = flags.tokenRealm
    ?.split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  const insecure = flags.insecure === true;
  // Docker's rule: a loopback registry is tried over HTTPS, then plain HTTP; --insecure is plain HTTP only.
  const loopback = !insecure && plainHttpAllowed(source);
  const registry = {
    ...(egress ? { egress } : {}),
    ...(realmHosts ? { realmHosts } : {}),
    ...(creds ? { credentials: creds } : {}),
  };
  const engineReport = await runScan(source, {
    ...registry,
    ...(platform ? { platform } : {}),
    ...(insecure ? { insecure: true } : {}),
    ...(loopback ? { plainHttpFallback: true } : {}),
    ...(progress ? { onProgress: progress } : {}),
  }).catch((error: unknown) => {
    // The same words whatever the cause (closed port, not a registry, TLS); on the user's own
    // machine, the likely fix for a registry that speaks plain HTTP is worth saying.
    if (error instanceof RegistryUnreachableError && !insecure && !loopback)
      throw new RegistryUnreachableError(`${error.message}; if it serves plain HTTP, pass --insecure`);
    throw error;
  });
  if (progress && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  // Opened after the scan so a bad image fails fast; a missing default db is said, not fatal.
  const outcome = await addFindings(engineReport, source, {
    db: flags.db,
    scanners: flags.scanners,
    scannerOptions: {
      // The tools' own --insecure flags try HTTPS first too.
      registry: { ...registry, ...(insecure || loopback ? { insecure: true } : {}) },
      ...(platform ? { platform } : {}),
      ...(progress ? { onStart: (name: string) => progress(`running ${name}`) } : {}),
    },
    onAdvisoryDb: ({ unmatched }) => {
      if (unmatched) process.stderr.write(`harborguard ${commandName}: ${unmatched}; reporting without vulnerabilities\n`);
    },
  });
  if (progress && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  // A scanner that could not run is said here and recorded in the envelope; the others still count.
  for (const { scanner } of outcome.runs)
    if (scanner.error) process.stderr.write(`harborguard ${commandName}: ${scanner.name}: ${scanner.error.split('\n', 1)[0]}; reporting without it\n`);
  return outcome;
}
