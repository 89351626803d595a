// What follows the engine's scan, for the CLI and the Fargate task alike: the packages matched
// against the advisory snapshot, then the external scanners the scan asked for, their results
// folded into the report. Without an advisory snapshot the scan is still complete for packages,
// layers and checks, and its warnings say so; a scanner that could not run is recorded in the
// report with its reason and the others still count. Saying any of this is the caller's.
import { matchPackages } from '#shared/matching/match-packages.ts';
import { fitVulnerabilities, refuseBeyondEnvelope } from './envelope-fit.ts';
import type { ScanReport } from '../report/scan-report.ts';
import { addScannerResults } from '../scanners/add-scanner-results.ts';
import { runScanners, type RunScannersOptions, type ScannerRun } from '../scanners/run-scanners.ts';
import type { FetchedSnapshot } from '#shared/snapshots/fetch-snapshot.ts';
import { resolveAdvisoryDb } from '../snapshot-store/resolve-advisory-db.ts';

export interface AddFindingsOptions {
  /** The advisory snapshot, a file or s3://bucket/key (default: from the environment). */
  db?: string | undefined;
  /** The scanners asked for; "harborguard" is the engine that already ran. */
  scanners: readonly string[];
  scannerOptions?: RunScannersOptions;
  /**
   * Who reads why nothing was matched: the CLI's user can pass --db (the default); a scanner
   * task's reader is a server user, who can only have a snapshot published or configured.
   */
  runtime?: 'cli' | 'task';
  /** Called once the snapshot is resolved: what was fetched from S3, or why nothing is matched. */
  onAdvisoryDb?: (outcome: { fetched?: FetchedSnapshot; unmatched?: string }) => void;
}

export async function addFindings(report: ScanReport, source: string, options: AddFindingsOptions): Promise<{ report: ScanReport; runs: ScannerRun[] }> {
  const { db, fetched } = await resolveAdvisoryDb(options.db);
  const unmatched = db.snapshot ? undefined : options.runtime === 'task' ? taskNoSnapshotReason(db.path) : db.reason;
  options.onAdvisoryDb?.({ ...(fetched ? { fetched } : {}), ...(unmatched ? { unmatched } : {}) });
  if (db.snapshot) {
    const matched = matchPackages(db.snapshot, report.scan.packages, report.scan.os);
    report.vulnerabilities = fitVulnerabilities(matched.vulnerabilities, report.scan.warnings);
    report.scan.warnings.push(...matched.warnings);
    const { builtAt, contentHash, advisories } = db.snapshot.header;
    report.matching = { status: 'MATCHED', snapshot: { builtAt, contentHash, advisories } };
  } else {
    const detail = unmatched ?? db.reason;
    report.scan.warnings.push(`vulnerabilities not matched: ${detail}`);
    report.matching = { status: 'NOT_MATCHED', reason: 'NO_SNAPSHOT', detail: detail.slice(0, 2048) };
  }
  const runs = await runScanners(options.scanners, source, options.scannerOptions);
  const merged = addScannerResults(report, runs);
  // The other tools' packages join the engine's in the envelope: together they must fit too.
  refuseBeyondEnvelope('packages', merged.scan.packages.length + (merged.external?.packages.length ?? 0));
  refuseBeyondEnvelope('vulnerabilities', merged.vulnerabilities?.length ?? 0);
  return { report: merged, runs };
}

/**
 * A task gets here when its snapshot is not there: the S3 object a deployment's updater has not
 * published yet, or the local stack's file (resolve-advisory-db.ts).
 */
export const taskNoSnapshotReason = (path: string) =>
  `no advisory snapshot available to scanner tasks (none at ${path}): in a deployment the advisory updater has not published one yet; ` +
  'locally, build one there (`harborguard db update` or `db build`) or set HARBORGUARD_DB before `npm start`';
