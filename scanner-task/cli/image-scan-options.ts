// The options every subcommand that scans an image shares (`scan`, `ci`): how to reach the image
// and what to match it against. Apart from the scan itself (image-scan.ts), so that declaring
// them loads none of the engine: `ci --url` never scans here.
import { Command, InvalidArgumentError } from 'commander';
import { egressPolicy, type EgressPolicy } from '#shared/egress/egress-policy.ts';
import { SCANNERS } from '#shared/scans/scanners.ts';

export interface ImageScanFlags {
  platform?: string;
  insecure?: boolean;
  username?: string;
  passwordStdin?: boolean;
  db?: string;
  scanners: string[];
  restrictEgress?: boolean | string;
  tokenRealm?: string;
  /** False with --no-cache. */
  cache: boolean;
  cacheDir?: string;
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
    .option('--cache-dir <dir>', "where each layer's analysis is kept for later scans (default: $HARBORGUARD_CACHE_DIR or ~/.cache/harborguard/layers)")
    .option('--no-cache', 'read every layer, and keep nothing for later scans')
    .option(
      '--scanners <names>',
      `comma-separated scanners to run: ${SCANNERS.join(', ')} (the built-in harborguard engine always runs; the others must be on PATH)`,
      parseScanners,
      ['harborguard'],
    );
}

/** On its user's own machine the CLI goes where it is told; restricted, it follows the task's policy. */
export const egressOf = (flags: Pick<ImageScanFlags, 'restrictEgress'>): EgressPolicy | undefined =>
  flags.restrictEgress === undefined ? undefined : egressPolicy(typeof flags.restrictEgress === 'string' ? flags.restrictEgress : '');
