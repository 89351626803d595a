// The scan every subcommand that scans an image runs (`scan`, `ci`), as its options say
// (image-scan-options.ts), with its one-line notes.
import { join } from 'node:path';
import { addFindings } from '../engine/add-findings.ts';
import { runScan } from '../engine/run-scan.ts';
import { parsePlatform } from '../image/platform.ts';
import { RegistryUnreachableError } from '#shared/registry/image-errors.ts';
import type { Credentials } from '#shared/registry/registry-client.ts';
import { plainHttpAllowed } from '#shared/registry/registry-policy.ts';
import { egressOf, type ImageScanFlags } from './image-scan-options.ts';
import type { ScannerRun } from '../scanners/run-scanners.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { refuseBarePath } from './bare-path-hint.ts';
import { DirectoryLayerCache } from '../layer-cache/directory-store.ts';
import { userCacheFolder } from '../model/user-cache-folder.ts';

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
  const cacheDir = flags.cacheDir ?? (process.env.HARBORGUARD_CACHE_DIR || join(userCacheFolder(), 'layers'));
  const engineReport = await runScan(source, {
    ...registry,
    ...(flags.cache ? { layerCache: new DirectoryLayerCache(cacheDir) } : {}),
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
