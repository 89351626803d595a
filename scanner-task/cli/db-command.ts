// `harborguard db build --from <path…> -o <file>` and `harborguard db info <file>`:
// build the advisory snapshot from OSV data and show what a snapshot holds.
import { Command } from 'commander';
import { buildSnapshot } from '../match/build-snapshot.ts';
import { loadSnapshot } from '../match/snapshot-reader.ts';

interface BuildFlags {
  from: string[];
  output: string;
  kev?: string;
  epss?: string;
}

export function dbCommand(): Command {
  const db = new Command('db').description('Advisory database: build and inspect the snapshot the scanner matches against');
  db.command('build')
    .description('import OSV JSON files, folders and all.zip dumps into one snapshot file')
    .requiredOption('--from <path...>', 'OSV record files, folders of them, or OSV all.zip dumps')
    .requiredOption('-o, --output <file>', 'snapshot file to write')
    .option('--kev <file>', 'CISA Known Exploited Vulnerabilities catalog (JSON)')
    .option('--epss <file>', 'FIRST EPSS scores (CSV, optionally .gz)')
    .action(async (flags: BuildFlags) => {
      const started = performance.now();
      const { header, stats } = await buildSnapshot({ from: flags.from, output: flags.output, ...(flags.kev ? { kev: flags.kev } : {}), ...(flags.epss ? { epss: flags.epss } : {}) });
      process.stderr.write(
        `${flags.output}: ${header.advisories} advisories over ${header.packages} packages from ${stats.records} records ` +
          `(${stats.withdrawn} withdrawn, ${stats.skippedEntries} affected entries without a usable ecosystem or range) in ${Math.round(performance.now() - started)} ms\n`,
      );
    });
  db.command('info')
    .description('print a snapshot\'s header: content hash, newest record, counts per ecosystem')
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
  return db;
}
