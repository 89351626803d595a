// `harborguard db build --from <path…> -o <file>`, `harborguard db info <file>`,
// `harborguard db publish <file> --bucket <b>` and `harborguard db update --dump <url…>`: build
// the advisory snapshot from OSV data, show what a snapshot holds, publish it to S3 where scanner
// tasks fetch it, and do all of it on a schedule only when a feed changed.
import { S3Client } from '@aws-sdk/client-s3';
import { egressFetch } from '#shared/egress/egress-fetch.ts';
import { egressPolicy } from '#shared/egress/egress-policy.ts';
import { Command } from 'commander';
import { buildSnapshot, type SkippedFile } from '../match/build-snapshot.ts';
import { MAX_RECORD_FILE_BYTES } from '../match/osv-import.ts';
import { loadSnapshot } from '#shared/matching/snapshot-reader.ts';
import { updateAdvisories } from '../match/updater/update-advisories.ts';
import { publishSnapshot, s3SnapshotPublisher } from '../snapshot-store/s3-snapshot-publisher.ts';
import { DEFAULT_SNAPSHOT_KEY, parseS3Url } from '#shared/snapshots/snapshot-location.ts';

interface BuildFlags {
  from: string[];
  output: string;
  kev?: string;
  epss?: string;
  strict?: boolean;
}

// Enough to see what kind of file was skipped; the count says how many more there were.
const SKIPPED_LISTED = 5;

// `what` names the skipped things for one and for several: files for db build, dump entries
// for db update.
function skippedLines(skipped: readonly SkippedFile[], what: readonly [one: string, several: string], hint = ''): string {
  if (skipped.length === 0) return '';
  const listed = skipped.slice(0, SKIPPED_LISTED).map((s) => `  ${s.where}: ${s.reason}\n`);
  const more = skipped.length > SKIPPED_LISTED ? `  … and ${skipped.length - SKIPPED_LISTED} more\n` : '';
  return `skipped ${skipped.length} ${what[skipped.length === 1 ? 0 : 1]}${hint}:\n${listed.join('')}${more}`;
}

export function dbCommand(): Command {
  const db = new Command('db').description('Advisory database: build and inspect the snapshot the scanner matches against');
  db.command('build')
    .description('import OSV JSON and YAML files, folders and all.zip dumps into one snapshot file; files that are not OSV records are skipped and listed')
    .requiredOption('--from <path...>', 'OSV record files (.json, .yaml/.yml), folders of them, or OSV all.zip dumps')
    .requiredOption('-o, --output <file>', 'snapshot file to write')
    .option('--kev <file>', 'CISA Known Exploited Vulnerabilities catalog (JSON)')
    .option('--epss <file>', 'FIRST EPSS scores (CSV, optionally .gz)')
    .option('--strict', `fail on the first file that is not an OSV record (bad JSON/YAML, no id or modified, over ${MAX_RECORD_FILE_BYTES / 1024 / 1024} MiB)`)
    .action(async (flags: BuildFlags) => {
      const started = performance.now();
      const { header, stats, skipped } = await buildSnapshot({
        from: flags.from,
        output: flags.output,
        ...(flags.kev ? { kev: flags.kev } : {}),
        ...(flags.epss ? { epss: flags.epss } : {}),
        ...(flags.strict ? { strict: true } : {}),
      });
      process.stderr.write(
        `${flags.output}: ${header.advisories} advisories over ${header.packages} packages from ${stats.records} records ` +
          `(${stats.withdrawn} withdrawn, ${stats.skippedEntries} affected entries without a usable ecosystem or range) in ${Math.round(performance.now() - started)} ms\n` +
          skippedLines(skipped, ['file that is not an OSV record', 'files that are not OSV records'], ' (--strict to fail instead)'),
      );
    });
  db.command('info')
    .description("print a snapshot's header: content hash, newest record, counts per ecosystem")
    .argument('<file>', 'snapshot file')
    .option('--json', 'print the header as JSON')
    .option('--verify', 'recompute the content hash (exit 1 when it does not match)')
    .action(async (file: string, flags: { json?: boolean; verify?: boolean }) => {
      const snapshot = await loadSnapshot(file);
      const { header } = snapshot;
      const verified = flags.verify ? snapshot.verify() : undefined;
      snapshot.close();
      if (flags.json) {
        const { sections: _layout, ...rest } = header;
        process.stdout.write(`${JSON.stringify({ ...rest, sizeBytes: snapshot.sizeBytes, ...(verified !== undefined ? { verified } : {}) }, null, 2)}\n`);
      } else {
        const lines = [
          `content hash     ${header.contentHash}${verified === undefined ? '' : verified ? ' (verified)' : ' (MISMATCH)'}`,
          `newest modified  ${header.newestModified ?? '-'}`,
          `built at         ${header.builtAt}`,
          `size             ${snapshot.sizeBytes} bytes`,
          `advisories       ${header.advisories}`,
          `packages         ${header.packages}`,
          `known exploited  ${header.enrichment.knownExploited}`,
          `with EPSS        ${header.enrichment.epss}`,
          'ecosystems',
          ...Object.entries(header.ecosystems).map(([name, count]) => `  ${name.padEnd(32)} ${count}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (verified === false) process.exitCode = 1;
    });
  db.command('publish')
    .description('upload a snapshot to S3 for scanner tasks (skipped when the same content is already there)')
    .argument('<file>', 'snapshot file (from db build)')
    .requiredOption('--bucket <name>', "S3 bucket (a deployment's artifact bucket)")
    .option('--key <key>', 'object key', DEFAULT_SNAPSHOT_KEY)
    .action(async (file: string, flags: { bucket: string; key: string }) => {
      // Only a readable snapshot is published: a task must never download something it cannot open.
      const snapshot = await loadSnapshot(file);
      const { header } = snapshot;
      snapshot.close();
      // The SDK's own configuration: region and credentials from the environment or profile.
      const result = await publishSnapshot(new S3Client({ followRegionRedirects: true }), { bucket: flags.bucket, key: flags.key }, file, header);
      const target = `s3://${flags.bucket}/${flags.key}`;
      process.stderr.write(
        result.status === 'published'
          ? `published ${target} (ETag ${result.etag}, content hash ${header.contentHash})\n`
          : `${target} already holds content hash ${header.contentHash}: not uploaded again\n`,
      );
    });
  db.command('update')
    .description(
      'download the OSV dumps that changed (conditional, resumable), rebuild the snapshot and publish it; nothing when no feed changed. Dump entries that are not OSV records are skipped and listed',
    )
    .requiredOption('--dump <url...>', 'OSV all.zip URLs, e.g. https://osv-vulnerabilities.storage.googleapis.com/Debian/all.zip')
    .requiredOption('--cache-dir <dir>', 'keeps the dumps and their ETags between runs')
    .requiredOption('-o, --output <file>', 'snapshot file to write')
    .option('--publish <s3-url>', `publish a new snapshot to s3://<bucket>/<key> (e.g. s3://<artifact bucket>/${DEFAULT_SNAPSHOT_KEY})`)
    .option('--restrict-egress [allow-list]', 'connect only to public addresses, plus these comma-separated CIDRs or hosts (the deployed updater does)')
    .action(async (flags: { dump: string[]; cacheDir: string; output: string; publish?: string; restrictEgress?: boolean | string }) => {
      const target = flags.publish ? parseS3Url(flags.publish) : undefined;
      const restricted = flags.restrictEgress === undefined ? undefined : egressPolicy(typeof flags.restrictEgress === 'string' ? flags.restrictEgress : '');
      const result = await updateAdvisories({
        fetchImpl: egressFetch(restricted),
        dumps: flags.dump,
        cacheDir: flags.cacheDir,
        output: flags.output,
        ...(target ? { publisher: s3SnapshotPublisher(new S3Client({ followRegionRedirects: true }), target) } : {}),
      });
      process.stderr.write(
        result.header
          ? `${result.changed.length} of ${flags.dump.length} feeds changed: ${flags.output} rebuilt (content hash ${result.header.contentHash})${flags.publish ? `, published to ${flags.publish}` : ''}\n`
          : `no feed changed since the last run: nothing rebuilt${flags.publish ? ' or published' : ''}\n`,
      );
      process.stderr.write(skippedLines(result.skipped ?? [], ['dump entry that is not an OSV record', 'dump entries that are not OSV records']));
    });
  return db;
}
