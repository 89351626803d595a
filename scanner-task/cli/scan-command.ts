// `harborguard scan <source>`: scan an image and write one report format to stdout or a file.
import { writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { addFindings } from '../engine/add-findings.ts';
import { runScan } from '../engine/run-scan.ts';
import { parsePlatform } from '../image/platform.ts';
import { refuseBarePath } from './bare-path-hint.ts';
import type { Credentials } from '../image/registry/registry-client.ts';
import { RegistryUnreachableError } from '../image/image-errors.ts';
import { egressFetch } from '#shared/egress/egress-fetch.ts';
import { egressPolicy, type EgressPolicy } from '#shared/egress/egress-policy.ts';
import { toCycloneDx } from '#shared/sbom/cyclonedx.ts';
import { toSpdx } from '#shared/sbom/spdx.ts';
import { toEnvelope } from '../report/envelope.ts';
import { ControlPlaneClient, DEFAULT_INGEST_WAIT } from '../task/control-plane-client.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { sbomSourceOf } from '../report/sbom.ts';
import { toTable } from '../report/table.ts';
import { SCANNERS } from '#shared/scans/scanners.ts';

const FORMATS: Record<string, (report: ScanReport) => string> = {
  envelope: (report) => `${JSON.stringify(toEnvelope(report), null, 2)}\n`,
  cyclonedx: (report) => `${toCycloneDx(sbomSourceOf(report))}\n`,
  spdx: (report) => `${toSpdx(sbomSourceOf(report))}\n`,
  table: toTable,
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

interface ScanFlags {
  format: string;
  output?: string;
  platform?: string;
  insecure?: boolean;
  username?: string;
  passwordStdin?: boolean;
  db?: string;
  upload?: string;
  apiKey?: string;
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

async function credentials(flags: ScanFlags): Promise<Credentials | undefined> {
  const username = flags.username ?? process.env.HARBORGUARD_USERNAME;
  if (!username) {
    if (flags.passwordStdin) throw new Error('--password-stdin needs --username');
    return undefined;
  }
  const password = flags.passwordStdin ? await readStdin() : process.env.HARBORGUARD_PASSWORD;
  if (password === undefined) throw new Error('--username needs --password-stdin (or HARBORGUARD_PASSWORD)');
  return { username, password };
}

/** The control plane to upload to, its key checked first: a scan is not wasted on a key that cannot upload. */
async function checkedUploader(flags: ScanFlags, egress: EgressPolicy | undefined): Promise<ControlPlaneClient | undefined> {
  const uploadUrl = flags.upload ?? process.env.HARBORGUARD_UPLOAD_URL;
  if (!uploadUrl) return undefined;
  const apiKey = flags.apiKey ?? process.env.HARBORGUARD_API_KEY;
  if (!apiKey) throw new Error('--upload needs --api-key (or HARBORGUARD_API_KEY)');
  const client = new ControlPlaneClient(uploadUrl, apiKey, DEFAULT_INGEST_WAIT, egressFetch(egress));
  await client.assertSensorKey();
  return client;
}

export function scanCommand(): Command {
  return new Command('scan')
    .description('scan a container image: packages, layers, configuration checks, SBOM')
    .argument('<source>', 'oci:<dir>[:tag], oci-archive:<file>[:tag], docker-archive:<file>, or a registry reference')
    .addOption(new Option('--format <format>', 'output format').choices(Object.keys(FORMATS)).default('table'))
    .option('-o, --output <file>', 'write the report to a file instead of stdout')
    .option('--platform <os/arch[/variant]>', 'platform to pick from a multi-platform image (default linux/amd64), and to require of a single-platform one')
    .option('--insecure', 'talk plain HTTP to the registry')
    .option(
      '--restrict-egress [allow-list]',
      'connect only to public addresses, plus these comma-separated CIDRs or hosts, as the scanner task does (for images someone else named)',
    )
    .option('--username <name>', 'registry user name (or HARBORGUARD_USERNAME)')
    .option('--password-stdin', 'read the registry password from stdin (or HARBORGUARD_PASSWORD)')
    .option('--token-realm <hosts>', "token-service hosts besides the registry's own that may receive the credentials (comma-separated)")
    .option('--upload <url>', 'send the envelope to a HarborGuard control plane at this base URL (or HARBORGUARD_UPLOAD_URL), as a sensor')
    .option('--api-key <key>', 'sensor API key for --upload (or HARBORGUARD_API_KEY)')
    .option(
      '--db <file>',
      'advisory snapshot to match packages against, a file or s3://bucket/key (default: $HARBORGUARD_DB or ~/.cache/harborguard/advisories.db)',
    )
    .option(
      '--scanners <names>',
      `comma-separated scanners to run: ${SCANNERS.join(', ')} (the built-in harborguard engine always runs; the others must be on PATH)`,
      parseScanners,
      ['harborguard'],
    )
    .action(async (source: string, flags: ScanFlags) => {
      await refuseBarePath(source);
      // Progress is for people watching a terminal; pipes and CI logs get only the report.
      const progress = process.stderr.isTTY ? (message: string) => process.stderr.write(`\r\x1b[K${message}`) : undefined;
      const creds = await credentials(flags);
      const platform = flags.platform ? parsePlatform(flags.platform) : undefined;
      // On its user's own machine the CLI goes where it is told; restricted, it follows the task's policy.
      const egress = flags.restrictEgress === undefined ? undefined : egressPolicy(typeof flags.restrictEgress === 'string' ? flags.restrictEgress : '');
      const realmHosts = flags.tokenRealm
        ?.split(',')
        .map((host) => host.trim().toLowerCase())
        .filter(Boolean);
      const uploader = await checkedUploader(flags, egress);
      const insecure = flags.insecure === true;
      const engineReport = await runScan(source, {
        ...(egress ? { egress } : {}),
        ...(realmHosts ? { realmHosts } : {}),
        ...(platform ? { platform } : {}),
        ...(insecure ? { insecure: true } : {}),
        ...(creds ? { credentials: creds } : {}),
        ...(progress ? { onProgress: progress } : {}),
      }).catch((error: unknown) => {
        // The same words whatever the cause (closed port, not a registry, TLS); on the user's own
        // machine, the likely fix for a registry that speaks plain HTTP is worth saying.
        if (error instanceof RegistryUnreachableError && !insecure)
          throw new RegistryUnreachableError(`${error.message}; if it serves plain HTTP, pass --insecure`);
        throw error;
      });
      if (progress) process.stderr.write('\r\x1b[K');
      // Opened after the scan so a bad image fails fast; a missing default db is said, not fatal.
      const { report, runs } = await addFindings(engineReport, source, {
        db: flags.db,
        scanners: flags.scanners,
        scannerOptions: {
          registry: {
            ...(egress ? { egress } : {}),
            ...(realmHosts ? { realmHosts } : {}),
            ...(insecure ? { insecure: true } : {}),
            ...(creds ? { credentials: creds } : {}),
          },
          ...(platform ? { platform } : {}),
          ...(progress ? { onStart: (name: string) => progress(`running ${name}`) } : {}),
        },
        onAdvisoryDb: ({ unmatched }) => {
          if (unmatched) process.stderr.write(`harborguard scan: ${unmatched}; reporting without vulnerabilities\n`);
        },
      });
      if (progress) process.stderr.write('\r\x1b[K');
      // A scanner that could not run is said here and recorded in the envelope; the others still count.
      for (const { scanner } of runs)
        if (scanner.error) process.stderr.write(`harborguard scan: ${scanner.name}: ${scanner.error.split('\n', 1)[0]}; reporting without it\n`);
      if (uploader) {
        const answer = (await uploader.upload(toEnvelope(report))) as { data: { id: string; riskScore: number | null; compliance: string | null } };
        process.stderr.write(
          `uploaded ${answer.data.id}: risk ${answer.data.riskScore ?? '- (not matched against advisories)'}, grade ${answer.data.compliance ?? '-'}\n`,
        );
        if (!flags.output) return;
      }
      const text = FORMATS[flags.format]!(report);
      // A reader that stops early (`| head`) is not a failure of the scan.
      process.stdout.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'EPIPE') process.exit(0);
        throw error;
      });
      if (flags.output) await writeFile(flags.output, text);
      else process.stdout.write(text);
    });
}
